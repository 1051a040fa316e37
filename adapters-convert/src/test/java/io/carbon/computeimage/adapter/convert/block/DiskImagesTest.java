package io.carbon.computeimage.adapter.convert.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.testkit.disk.BuiltDisk;
import io.carbon.computeimage.testkit.disk.DataFiles;
import io.carbon.computeimage.testkit.disk.DiskImageBuilder;
import io.carbon.computeimage.testkit.disk.Fill;
import io.carbon.computeimage.testkit.disk.FsType;
import io.carbon.computeimage.testkit.disk.PartitionSpec;
import io.carbon.computeimage.testkit.disk.Qcow2Options;
import io.carbon.computeimage.testkit.disk.Qcow2Options.Compression;
import io.carbon.computeimage.testkit.disk.QemuImg;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiskImagesTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Compression.class)
  void open_qcow2_concurrentRandomReadsEqualRaw(Compression c) throws Exception {
    BuiltDisk disk = DiskImageBuilder.gpt(24L << 20)
        .partition(PartitionSpec.of(FsType.NONE, 8L << 20).withFill(Fill.MIXED, 4))
        .partition(PartitionSpec.rest(FsType.EXT4).withContent(
            DataFiles.tree(tmp.resolve("t"), 4, 4L << 20, 2)))
        .build(tmp.resolve("d.raw"));
    Path q = disk.toQcow2(tmp.resolve("d.qcow2"), Qcow2Options.v3(c).withClusterSize(16384));
    Path ref = tmp.resolve("ref.raw");
    QemuImg.convertToRaw(q, ref);
    try (BlockDevice dev = DiskImages.open(q);
        FileChannel refCh = FileChannel.open(ref)) {
      assertThat(dev).isInstanceOf(Qcow2Device.class);
      assertThat(dev.size()).isEqualTo(Files.size(ref));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          long seed = t;
          fs.add(pool.submit(() -> {
            Random r = new Random(seed);
            for (int i = 0; i < 400; i++) {
              long off = (long) (r.nextDouble() * dev.size());
              int len = 1 + r.nextInt(70000);
              ByteBuffer got = ByteBuffer.allocate(len);
              int n = dev.read(off, got);
              ByteBuffer want = ByteBuffer.allocate(len);
              int m = 0;
              while (want.hasRemaining() && off + m < dev.size()) {
                int k = refCh.read(want, off + m);
                if (k < 0) {
                  break;
                }
                m += k;
              }
              assertThat(n).isEqualTo(m);
              assertThat(got.array()).as("read at %d len %d", off, len).isEqualTo(want.array());
            }
            return null;
          }));
        }
        for (Future<?> f : fs) {
          f.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(dev.readFully(dev.size() - 512, 512)).hasSize(512);
    }
  }

  @Test
  void open_rawFile_rawDevice() throws Exception {
    Path raw = DataFiles.random(tmp.resolve("r.raw"), 8192, 1);
    try (BlockDevice dev = DiskImages.open(raw)) {
      assertThat(dev).isInstanceOf(RawFileDevice.class);
      assertThat(dev.readFully(0, 8192)).isEqualTo(Files.readAllBytes(raw));
    }
  }

  @Test
  void open_qcow2WithBackingFile_unsupported() throws Exception {
    Path base = tmp.resolve("b.qcow2");
    QemuImg.create(base, "qcow2", 1 << 20, null);
    Path top = tmp.resolve("t.qcow2");
    QemuImg.run("create", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", top.toString());
    assertThatThrownBy(() -> DiskImages.open(top))
        .isInstanceOf(UnsupportedDiskFeatureIOException.class).hasMessageContaining("backing");
  }
}
