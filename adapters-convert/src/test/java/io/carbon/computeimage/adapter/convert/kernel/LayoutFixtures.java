package io.carbon.computeimage.adapter.convert.kernel;

import io.carbon.computeimage.testkit.boot.BuiltLayout;
import io.carbon.computeimage.testkit.boot.DebianKernel;
import io.carbon.computeimage.testkit.boot.DistroDisks;
import io.carbon.computeimage.testkit.boot.DistroLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/** Builds each distro layout once per test JVM and deletes them all at exit. */
final class LayoutFixtures {
  static final Path KERNEL_CACHE = Path.of("/var/tmp/compute-image-test-kernel");
  private static final Map<DistroLayout, BuiltLayout> BUILT = new EnumMap<>(DistroLayout.class);
  private static Path work;

  private LayoutFixtures() {}

  static synchronized BuiltLayout get(DistroLayout layout) {
    return BUILT.computeIfAbsent(layout, l -> DistroDisks.build(l, workDir().resolve(l.id()),
        DebianKernel.vmlinuz(KERNEL_CACHE)));
  }

  private static Path workDir() {
    if (work == null) {
      try {
        work = Files.createTempDirectory("kernel-layouts-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path w = work;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(w)));
    }
    return work;
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
