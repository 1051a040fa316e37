package io.carbon.computeimage.testkit.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A tiny initramfs: static busybox and an {@code /init} that prints a marker and the kernel
 * command line on the serial port, then powers off.
 */
public final class MarkerInitrd {
  private MarkerInitrd() {}

  /**
   * Builds the initrd (gzip-compressed newc cpio).
   *
   * @param out the file to write
   * @param marker the text only this initrd prints
   * @return {@code out}
   */
  public static Path build(Path out, String marker) {
    try {
      Path root = Files.createTempDirectory(out.getParent(), "initrd-");
      Files.createDirectories(root.resolve("bin"));
      Files.createDirectories(root.resolve("dev"));
      Files.createDirectories(root.resolve("proc"));
      Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
      String init = "#!/bin/busybox sh\n"
          + "/bin/busybox mount -t devtmpfs dev /dev 2>/dev/null\n"
          + "/bin/busybox mount -t proc proc /proc\n"
          + "out() { /bin/busybox echo \"$1\"; [ -c /dev/ttyS0 ] && /bin/busybox echo \"$1\" > /dev/ttyS0; }\n"
          + "out \"" + marker + "\"\n"
          + "out \"CMDLINE=$(/bin/busybox cat /proc/cmdline)\"\n"
          + "/bin/busybox poweroff -f\n";
      Files.writeString(root.resolve("init"), init);
      Files.setPosixFilePermissions(root.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Cmd.sh("cd " + root + " && find . | cpio -o -H newc --quiet | gzip -1 > " + out);
      Cmd.run("rm", "-rf", root.toString());
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
