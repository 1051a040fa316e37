package io.carbon.computeimage.adapter.convert.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.carbon.computeimage.testkit.disk.DataFiles;
import io.carbon.computeimage.testkit.disk.QemuImg;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The native (zstd-jni) and pure-Java (aircompressor) zstd decoders give the same bytes. */
class ZstdDecoderTest {
  private static final int CLUSTER = 65536;

  @TempDir Path tmp;

  @Test
  void nativeDecoder_onThisPlatform_loads() {
    // CI runs on linux/amd64, where zstd-jni ships its library: the fast path must be in use
    assertThat(ZstdDecoder.nativeLoadFailure()).isNull();
    assertThat(ZstdDecoder.nativeAvailable()).isTrue();
    assertThat(new ClusterCodec().zstdName()).isEqualTo("zstd-jni");
    assertThat(new ClusterCodec(ZstdDecoder.Kind.JAVA).zstdName()).isEqualTo("aircompressor");
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void decompress_paddedMultiFrameClusters_bothDecodersReturnTheOriginal(Buffers kind) {
    Random r = new Random(42);
    byte[] text = DataFiles.compressibleBytes(CLUSTER, 7);
    byte[] noise = new byte[CLUSTER];
    r.nextBytes(noise);
    byte[] mixed = text.clone();
    System.arraycopy(noise, 0, mixed, 1000, 20000);
    Arrays.fill(mixed, 40000, 60000, (byte) 0);
    for (byte[] data : new byte[][] {text, noise, mixed, new byte[CLUSTER]}) {
      for (int level : new int[] {1, 3, 19}) {
        byte[] one = Zstd.compress(data, level);
        // a cluster as qemu writes it: one frame, padded with zeros to a 512-byte sector
        byte[] padded = Arrays.copyOf(one, (one.length + 511) / 512 * 512 + 512);
        assertDecodesTo(kind, padded, data);
        // several frames and a skippable frame in one cluster (QEMU decodes until it is full)
        byte[] first = Zstd.compress(Arrays.copyOfRange(data, 0, 10000), level);
        byte[] rest = Zstd.compress(Arrays.copyOfRange(data, 10000, CLUSTER), level);
        ByteArrayOutputStream multi = new ByteArrayOutputStream();
        multi.writeBytes(first);
        multi.writeBytes(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(0x184D2A53).putInt(4).putInt(0x12345678).array());
        multi.writeBytes(rest);
        multi.writeBytes(new byte[300]);
        assertDecodesTo(kind, multi.toByteArray(), data);
      }
    }
  }

  @Test
  void decompress_corruptFrame_bothDecodersRejectIt() {
    byte[] data = DataFiles.compressibleBytes(CLUSTER, 3);
    byte[] frame = Zstd.compress(data, 3);
    frame[frame.length / 2] ^= 0x5a;
    frame[frame.length / 2 + 1] ^= 0x33;
    for (ZstdDecoder.Kind k : ZstdDecoder.Kind.values()) {
      ClusterCodec codec = new ClusterCodec(k);
      assertThatThrownBy(() -> codec.decompress(1, frame, 0, frame.length, new byte[CLUSTER], 0,
          CLUSTER)).as(k.name()).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void readClusters_qemuZstdImage_nativeAndJavaDecodersMatchQemuImg() throws Exception {
    Path raw = tmp.resolve("disk.raw");
    try (OutputStream out = Files.newOutputStream(raw)) {
      Random r = new Random(5);
      byte[] noise = new byte[CLUSTER];
      for (int i = 0; i < 48; i++) { // 3 MiB: text, noise, zeros, partly zero clusters
        byte[] c = switch (i % 4) {
          case 0 -> DataFiles.compressibleBytes(CLUSTER, i);
          case 1 -> { r.nextBytes(noise); yield noise; }
          case 2 -> new byte[CLUSTER];
          default -> Arrays.copyOf(DataFiles.compressibleBytes(CLUSTER / 3, i), CLUSTER);
        };
        out.write(c);
      }
    }
    Path qcow2 = tmp.resolve("disk.qcow2");
    QemuImg.run("convert", "-f", "raw", "-O", "qcow2", "-c", "-o", "compression_type=zstd",
        raw.toString(), qcow2.toString());
    Path expected = tmp.resolve("qemu.raw");
    QemuImg.convertToRaw(qcow2, expected);
    byte[] want = Files.readAllBytes(expected);
    try (Qcow2Image img = Qcow2Image.open(qcow2)) {
      assertThat(img.header().compressionType()).isEqualTo(1);
      for (ZstdDecoder.Kind k : ZstdDecoder.Kind.values()) {
        Qcow2Image.Context ctx = img.newContext(new ClusterCodec(k));
        ByteBuffer out = Qcow2Image.aligned(48 * CLUSTER);
        long[] l2 = img.readL2(0);
        img.readClusters(0, l2, 0, 48, out, 0, ctx);
        byte[] got = new byte[want.length];
        out.get(0, got);
        assertThat(got).as(k.name()).isEqualTo(want);
      }
    }
  }

  private static void assertDecodesTo(Buffers kind, byte[] compressed, byte[] expected) {
    for (ZstdDecoder.Kind k : ZstdDecoder.Kind.values()) {
      ClusterCodec codec = new ClusterCodec(k);
      ByteBuffer in = kind.wrap(compressed, 100);
      ByteBuffer out = kind.allocate(CLUSTER + 64);
      codec.decompress(1, in, 100, compressed.length, out, 64, CLUSTER);
      byte[] got = new byte[CLUSTER];
      out.get(64, got);
      assertThat(got).as(k.name() + " " + kind).isEqualTo(expected);
    }
  }

  /** Heap and direct buffers take different paths through the decoders. */
  enum Buffers {
    HEAP, DIRECT;

    ByteBuffer allocate(int n) {
      return this == HEAP ? ByteBuffer.allocate(n) : ByteBuffer.allocateDirect(n);
    }

    ByteBuffer wrap(byte[] b, int at) {
      ByteBuffer buf = allocate(at + b.length);
      buf.put(at, b);
      return buf;
    }
  }
}
