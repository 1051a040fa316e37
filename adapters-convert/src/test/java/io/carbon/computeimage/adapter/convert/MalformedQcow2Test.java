package io.carbon.computeimage.adapter.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Image;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.disk.DataFiles;
import io.carbon.computeimage.testkit.disk.QemuImg;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Malformed and unsupported qcow2 images: the right error kind, a clear message, fast. */
@Timeout(20)
class MalformedQcow2Test {
  @TempDir Path tmp;
  private final QcowDiskConverter converter = new QcowDiskConverter();
  private byte[] compressed;
  private byte[] plain;

  @BeforeEach
  void images() throws Exception {
    Path raw = tmp.resolve("src.raw");
    DataFiles.compressible(raw, 4 << 20, 9);
    Path c = tmp.resolve("c.qcow2");
    QemuImg.run("convert", "-c", "-f", "raw", "-O", "qcow2", "-o", "compat=1.1", raw.toString(),
        c.toString());
    compressed = Files.readAllBytes(c);
    Path p = tmp.resolve("p.qcow2");
    QemuImg.run("convert", "-f", "raw", "-O", "qcow2", "-o", "compat=1.1", raw.toString(),
        p.toString());
    plain = Files.readAllBytes(p);
  }

  private static long l1Offset(byte[] img) {
    return ByteBuffer.wrap(img).getLong(40);
  }

  private static long l2Offset(byte[] img) {
    return ByteBuffer.wrap(img).getLong((int) l1Offset(img)) & 0x00fffffffffffe00L;
  }

  private AbstractThrowableAssert<?, ? extends Throwable> convertPatched(byte[] base,
      Consumer<ByteBuffer> patch) throws Exception {
    byte[] img = base.clone();
    patch.accept(ByteBuffer.wrap(img));
    return convertBytes(img);
  }

  private AbstractThrowableAssert<?, ? extends Throwable> convertBytes(byte[] img)
      throws Exception {
    Path in = tmp.resolve("bad.qcow2");
    Files.write(in, img);
    Path out = tmp.resolve("out").resolve("disk.img");
    var a = assertThatThrownBy(() -> converter.convert(in, out, DiskFormat.RAW,
        ProgressListener.NONE, Cancellation.NONE));
    assertThat(out).doesNotExist();
    if (Files.exists(out.getParent())) {
      try (var s = Files.list(out.getParent())) {
        assertThat(s).as("leftover temp files").isEmpty();
      }
    }
    return a.hasMessageContaining(in.toString());
  }

  @Test
  void badMagic_openAsQcow2_malformed() throws Exception {
    byte[] img = plain.clone();
    ByteBuffer.wrap(img).putInt(0, 0x514649fa);
    Path in = tmp.resolve("magic.qcow2");
    Files.write(in, img);
    assertThatThrownBy(() -> Qcow2Image.open(in)).isInstanceOf(MalformedImageException.class)
        .hasMessageContaining(in.toString()).hasMessageContaining("bad magic");
    // the converter sees no qcow2 magic and treats the file as raw
    assertThat(converter.detect(in)).isEqualTo(DiskFormat.RAW);
  }

  @Test
  void unsupportedVersion_unsupported() throws Exception {
    convertPatched(plain, b -> b.putInt(4, 4)).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("version 4");
  }

  @Test
  void truncatedHeader_malformed() throws Exception {
    byte[] t = java.util.Arrays.copyOf(plain, 40);
    convertBytes(t).isInstanceOf(MalformedImageException.class).hasMessageContaining("truncated");
  }

  @Test
  void clusterBitsOutOfRange_malformed() throws Exception {
    convertPatched(plain, b -> b.putInt(20, 40)).isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("cluster_bits");
  }

  @Test
  void l1PastEndOfFile_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong(40, 1L << 40)).isInstanceOf(
        MalformedImageException.class).hasMessageContaining("l1_table_offset")
        .hasMessageContaining("past the end");
  }

  @Test
  void l1Unaligned_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong(40, l1Offset(plain) + 8)).isInstanceOf(
        MalformedImageException.class).hasMessageContaining("l1_table_offset");
  }

  @Test
  void hugeVirtualSizeWithSmallL1_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong(24, 1L << 50)).isInstanceOf(
        MalformedImageException.class).hasMessageContaining("l1_size");
  }

  @Test
  void hugeVirtualSize_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong(24, Long.MAX_VALUE - 511)).isInstanceOf(
        MalformedImageException.class).hasMessageContaining("virtual size");
  }

  @Test
  void hugeL1Size_malformed() throws Exception {
    convertPatched(plain, b -> b.putInt(36, 0x7fffffff)).isInstanceOf(
        MalformedImageException.class).hasMessageContaining("l1_size");
  }

  @Test
  void l2TableOffsetPastEof_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong((int) l1Offset(plain), 0x8000000000000000L | (1L << 40)))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("L2 table offset");
  }

  @Test
  void l2TableUnaligned_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong((int) l1Offset(plain), l2Offset(plain) + 512))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("not cluster aligned");
  }

  @Test
  void l2TablePointingAtL1_cycleMalformed() throws Exception {
    convertPatched(plain, b -> b.putLong((int) l1Offset(plain), l1Offset(plain)))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("cycle");
  }

  @Test
  void dataClusterPointingAtItsOwnL2Table_cycleMalformed() throws Exception {
    long l2 = l2Offset(plain);
    convertPatched(plain, b -> b.putLong((int) l2, 0x8000000000000000L | l2))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("cycle")
        .hasMessageContaining("L2 table");
  }

  @Test
  void dataClusterPointingAtHeader_malformed() throws Exception {
    long l2 = l2Offset(plain);
    // a compressed descriptor whose data lies in the header cluster
    convertPatched(plain, b -> b.putLong((int) l2, (1L << 62) | 0x200))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("compressed cluster");
  }

  @Test
  void dataClusterPastEof_malformed() throws Exception {
    long l2 = l2Offset(plain);
    convertPatched(plain, b -> b.putLong((int) l2, 0x8000000000000000L | (1L << 40)))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("past the end");
  }

  @Test
  void compressedExtentPastEof_malformed() throws Exception {
    long l2 = l2Offset(compressed);
    long host = ((long) compressed.length + 4096) & ~511L;
    convertPatched(compressed, b -> b.putLong((int) l2, (1L << 62) | host))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("compressed cluster");
  }

  @Test
  void truncatedCompressedData_malformed() throws Exception {
    long l2 = l2Offset(compressed);
    long last = ByteBuffer.wrap(compressed).getLong((int) l2 + 8 * 63);
    long host = last & ((1L << 54) - 1);
    byte[] cut = java.util.Arrays.copyOf(compressed, (int) host + 10);
    convertBytes(cut).isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("compressed cluster");
  }

  @Test
  void corruptDeflateData_malformed() throws Exception {
    long l2 = l2Offset(compressed);
    long host = ByteBuffer.wrap(compressed).getLong((int) l2) & ((1L << 54) - 1);
    convertPatched(compressed, b -> {
      for (int i = 0; i < 64; i++) {
        b.put((int) host + i, (byte) 0xff);
      }
    }).isInstanceOf(MalformedImageException.class).hasMessageContaining("deflate");
  }

  @Test
  void reservedBitsInL2Entry_malformed() throws Exception {
    long l2 = l2Offset(plain);
    convertPatched(plain, b -> b.putLong((int) l2, b.getLong((int) l2) | 0x2))
        .isInstanceOf(MalformedImageException.class).hasMessageContaining("reserved bits");
  }

  @Test
  void backingFile_unsupportedNamesIt() throws Exception {
    Path base = tmp.resolve("base.qcow2");
    Files.write(base, plain);
    Path overlay = tmp.resolve("overlay.qcow2");
    QemuImg.run("create", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2",
        overlay.toString());
    convertBytes(Files.readAllBytes(overlay)).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("backing file").hasMessageContaining("base.qcow2");
  }

  @Test
  void encryption_unsupported() throws Exception {
    Path enc = tmp.resolve("enc.qcow2");
    // qemu-img times its PBKDF2 with the thread's CPU clock, and on a busy VM that measurement
    // fails now and then ("Unable to get accurate CPU usage"): a few attempts, same command
    for (int attempt = 1; ; attempt++) {
      try {
        Files.deleteIfExists(enc);
        QemuImg.run("create", "-f", "qcow2", "--object", "secret,id=s0,data=pw", "-o",
            "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10", enc.toString(), "1M");
        break;
      } catch (IllegalStateException e) {
        if (attempt == 10 || !String.valueOf(e.getMessage()).contains("accurate CPU usage")) {
          throw e;
        }
      }
    }
    convertBytes(Files.readAllBytes(enc)).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("encrypted").hasMessageContaining("LUKS");
  }

  @Test
  void externalDataFile_unsupported() throws Exception {
    Path img = tmp.resolve("ext.qcow2");
    QemuImg.run("create", "-f", "qcow2", "-o", "data_file=" + tmp.resolve("data.raw"),
        img.toString(), "1M");
    convertBytes(Files.readAllBytes(img)).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("external data file");
  }

  @Test
  void corruptFlag_malformed() throws Exception {
    convertPatched(plain, b -> b.putLong(72, b.getLong(72) | 2)).isInstanceOf(
        MalformedImageException.class).hasMessageContaining("corrupt");
  }
}
