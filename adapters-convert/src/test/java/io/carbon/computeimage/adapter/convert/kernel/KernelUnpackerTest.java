package io.carbon.computeimage.adapter.convert.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.testkit.boot.Cmd;
import io.carbon.computeimage.testkit.boot.DebianKernel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelUnpackerTest {
  @TempDir static Path tmp;
  static byte[] bzImage;
  static byte[] vmlinux;

  @BeforeAll
  static void unpackDebianKernel() throws Exception {
    bzImage = Files.readAllBytes(DebianKernel.vmlinuz(LayoutFixtures.KERNEL_CACHE));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(KernelUnpacker.unpack(bzImage, out)).isEqualTo(KernelUnpacker.Kind.VMLINUX);
    vmlinux = out.toByteArray();
    Files.write(tmp.resolve("vmlinux"), vmlinux);
  }

  @Test
  void unpack_debianLz4BzImage_givesX86Elf() {
    String header = Cmd.run("readelf", "-h", tmp.resolve("vmlinux").toString());
    assertThat(header).contains("ELF64").contains("Advanced Micro Devices X86-64").contains("EXEC");
    String sections = Cmd.run("readelf", "-W", "-S", tmp.resolve("vmlinux").toString());
    assertThat(sections).contains(".text").doesNotContain("Warning");
    assertThat(vmlinux.length).isGreaterThan(bzImage.length);
  }

  /**
   * Rebuilds the bzImage around another ELF (static busybox, to keep the test fast) with another
   * payload compression; the ELF must come out the same.
   */
  @ParameterizedTest
  @CsvSource({"gzip,gzip -1", "xz,xz --check=crc32 -0 -T1", "zstd,zstd -1 -q", "lzma,xz --format=lzma -0"})
  void unpack_bzImageWithOtherCompression_givesSameElf(String name, String tool) throws Exception {
    Path elf = Path.of("/bin/busybox");
    byte[] elfBytes = Files.readAllBytes(elf);
    Path packed = tmp.resolve("payload." + name);
    Cmd.sh(tool + " -c " + elf + " > " + packed);
    byte[] payload = Files.readAllBytes(packed);
    ByteBuffer b = ByteBuffer.wrap(bzImage).order(ByteOrder.LITTLE_ENDIAN);
    int setup = ((bzImage[0x1F1] & 0xFF) == 0 ? 4 : bzImage[0x1F1] & 0xFF) + 1;
    int payloadOffset = b.getInt(0x248);
    byte[] kernel = Arrays.copyOf(bzImage, setup * 512 + payloadOffset + payload.length + 4);
    System.arraycopy(payload, 0, kernel, setup * 512 + payloadOffset, payload.length);
    ByteBuffer k = ByteBuffer.wrap(kernel).order(ByteOrder.LITTLE_ENDIAN);
    k.putInt(0x24C, payload.length);
    k.putInt(kernel.length - 4, elfBytes.length); // size word after the payload, as the kernel has
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    KernelUnpacker.unpack(kernel, out);
    assertThat(Arrays.equals(out.toByteArray(), elfBytes)).as(name).isTrue();
  }

  @Test
  void unpack_truncatedPayload_throwsMalformed() {
    byte[] cut = Arrays.copyOf(bzImage, bzImage.length / 2);
    assertThatThrownBy(() -> KernelUnpacker.unpack(cut, new ByteArrayOutputStream()))
        .isInstanceOf(MalformedDiskIOException.class);
  }

  private static byte[] arm64Image() {
    byte[] img = new byte[300_000];
    new Random(3).nextBytes(img);
    Arrays.fill(img, 1000, 200_000, (byte) 0);
    img[0x38] = 'A';
    img[0x39] = 'R';
    img[0x3A] = 'M';
    img[0x3B] = 0x64;
    return img;
  }

  @Test
  void unpack_arm64ImageGz_givesImage() throws Exception {
    byte[] img = arm64Image();
    Files.write(tmp.resolve("Image"), img);
    Cmd.sh("gzip -9 -c " + tmp.resolve("Image") + " > " + tmp.resolve("Image.gz"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(KernelUnpacker.unpack(Files.readAllBytes(tmp.resolve("Image.gz")), out))
        .isEqualTo(KernelUnpacker.Kind.IMAGE);
    assertThat(out.toByteArray()).isEqualTo(img);
  }

  @ParameterizedTest
  @CsvSource({"gzip,gzip -9,4", "zstd,zstd -19 -q,0"})
  void unpack_arm64EfiZboot_givesImage(String comp, String tool, int trailer) throws Exception {
    byte[] img = arm64Image();
    Files.write(tmp.resolve("Image"), img);
    Path packed = tmp.resolve("Image." + comp);
    Cmd.sh(tool + " -c " + tmp.resolve("Image") + " > " + packed);
    byte[] payload = Files.readAllBytes(packed);
    int off = 0x1000;
    byte[] zboot = new byte[off + payload.length + 512];
    zboot[0] = 'M';
    zboot[1] = 'Z';
    System.arraycopy("zimg".getBytes(StandardCharsets.US_ASCII), 0, zboot, 4, 4);
    ByteBuffer z = ByteBuffer.wrap(zboot).order(ByteOrder.LITTLE_ENDIAN);
    z.putInt(8, off);
    z.putInt(12, payload.length - trailer); // gzip: the stated size excludes ISIZE
    System.arraycopy(comp.getBytes(StandardCharsets.US_ASCII), 0, zboot, 0x18, comp.length());
    zboot[0x38] = 'P'; // the PE magic, not ARMd, sits at 0x38 of a zboot image
    System.arraycopy(payload, 0, zboot, off, payload.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(KernelUnpacker.unpack(zboot, out)).isEqualTo(KernelUnpacker.Kind.IMAGE);
    assertThat(out.toByteArray()).isEqualTo(img);
  }

  @Test
  void kindOf_unknownFormat_isUnsupported() {
    assertThatThrownBy(() -> KernelUnpacker.kindOf(new byte[4096]))
        .hasMessageContaining("neither an x86 bzImage");
  }
}
