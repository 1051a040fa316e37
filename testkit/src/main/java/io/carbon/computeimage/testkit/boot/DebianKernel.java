package io.carbon.computeimage.testkit.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A real Debian cloud kernel ({@code linux-image-cloud-amd64}): downloaded with {@code apt-get
 * download} and unpacked with {@code dpkg-deb -x} into a cache directory, once per machine.
 */
public final class DebianKernel {
  private static final String META = "linux-image-cloud-amd64";
  private static Path cached;

  private DebianKernel() {}

  /**
   * Returns the path of the cached vmlinuz, fetching it on first use.
   *
   * @param cacheDir a directory kept across test runs (created when missing)
   * @return the kernel file
   */
  public static synchronized Path vmlinuz(Path cacheDir) {
    if (cached != null) {
      return cached;
    }
    try {
      Files.createDirectories(cacheDir);
      Path done = cacheDir.resolve("vmlinuz");
      if (!Files.exists(done)) {
        Path work = Files.createTempDirectory(cacheDir, "fetch-");
        String pkg = Cmd.sh("apt-cache depends " + META
            + " | awk '/Depends: linux-image-/{print $2; exit}'").trim();
        if (pkg.isEmpty()) {
          throw new IllegalStateException("apt-cache names no kernel package for " + META);
        }
        Cmd.sh("cd " + work + " && apt-get download " + pkg + " >/dev/null 2>&1 && dpkg-deb -x "
            + pkg + "_*.deb x");
        Path kernel;
        try (Stream<Path> s = Files.list(work.resolve("x/boot"))) {
          kernel = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).findFirst()
              .orElseThrow(() -> new IllegalStateException(pkg + " holds no /boot/vmlinuz-*"));
        }
        Path tmp = cacheDir.resolve("vmlinuz.tmp");
        Files.copy(kernel, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Cmd.run("rm", "-rf", work.toString());
      }
      cached = done;
      return done;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
