package io.carbon.computeimage.adapter.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.disk.Qcow2Options;
import io.carbon.computeimage.testkit.disk.Qcow2Options.Compression;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicityTest {
  @TempDir Path tmp;

  @Test
  void convert_cancelledMidway_leavesNoDestinationNorTempFile() throws Exception {
    Path qcow2 = DiskFixtures.gpt().toQcow2(tmp.resolve("in.qcow2"),
        Qcow2Options.v3(Compression.ZLIB));
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    AtomicInteger checks = new AtomicInteger();
    Cancellation cancelAfterSome = () -> checks.incrementAndGet() > 5;
    QcowDiskConverter small = new QcowDiskConverter(2, 64 << 10, Clock.systemUTC());
    for (DiskFormat target : new DiskFormat[] {DiskFormat.RAW, DiskFormat.VHD_FIXED}) {
      checks.set(0);
      Path dest = outDir.resolve("disk." + target);
      assertThatThrownBy(() -> small.convert(qcow2, dest, target, ProgressListener.NONE,
          cancelAfterSome)).isInstanceOf(CancelledException.class);
      assertThat(dest).doesNotExist();
    }
    try (var s = Files.list(outDir)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void convert_failingMidway_keepsPreviousDestinationAndRemovesTemp() throws Exception {
    Path qcow2 = DiskFixtures.gpt().toQcow2(tmp.resolve("in.qcow2"),
        Qcow2Options.v3(Compression.ZLIB));
    byte[] img = Files.readAllBytes(qcow2);
    ByteBuffer b = ByteBuffer.wrap(img);
    long l2 = b.getLong((int) b.getLong(40)) & 0x00fffffffffffe00L;
    // corrupt the deflate stream of a compressed cluster late in the disk
    for (int i = 1000; i > 0; i--) {
      long e = b.getLong((int) l2 + 8 * i);
      if ((e & (1L << 62)) != 0) {
        long host = e & ((1L << 54) - 1);
        for (int k = 0; k < 32; k++) {
          img[(int) host + k] = (byte) 0xff;
        }
        break;
      }
    }
    Path bad = tmp.resolve("bad.qcow2");
    Files.write(bad, img);
    Path outDir = Files.createDirectories(tmp.resolve("out"));
    Path dest = outDir.resolve("disk.img");
    Files.writeString(dest, "previous");
    assertThatThrownBy(() -> new QcowDiskConverter().convert(bad, dest, DiskFormat.RAW,
        ProgressListener.NONE, Cancellation.NONE)).isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("bad.qcow2");
    assertThat(dest).hasContent("previous");
    try (var s = Files.list(outDir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("disk.img");
    }
  }

  @Test
  void plugin_registeredThroughServiceLoader() {
    var plugins = java.util.ServiceLoader.load(
        io.carbon.computeimage.ports.spi.ComputeImagePlugin.class);
    assertThat(plugins.stream().map(p -> p.get()).filter(p -> p instanceof ConvertPlugin)
        .flatMap(p -> p.diskConverters().stream()))
        .singleElement().isInstanceOf(QcowDiskConverter.class);
  }
}
