package io.carbon.computeimage.testkit.boot;

import java.nio.file.Path;
import java.util.List;

/** Boots a kernel and initrd in {@code qemu-system-x86_64} under TCG and returns the console. */
public final class QemuBoot {
  private QemuBoot() {}

  /**
   * Boots and waits until the guest powers off or the timeout passes.
   *
   * @param kernel the kernel
   * @param initrd the initrd
   * @param cmdline the command line (console=ttyS0 and panic=-1 are added)
   * @param timeoutSeconds the timeout
   * @return the serial console output
   */
  public static String boot(Path kernel, Path initrd, String cmdline, long timeoutSeconds) {
    Cmd.Result r = Cmd.exec(null, timeoutSeconds, List.of("qemu-system-x86_64", "-accel", "tcg",
        "-m", "256", "-nographic", "-no-reboot", "-nodefaults", "-serial", "stdio",
        "-kernel", kernel.toString(), "-initrd", initrd.toString(),
        "-append", "console=ttyS0 " + cmdline + " panic=-1"));
    return r.output() + (r.timedOut() ? "\n<qemu timed out>" : "");
  }
}
