package io.carbon.computeimage.adapter.convert.fs.fat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FilesystemProbe;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.TreeAssert;
import io.carbon.computeimage.testkit.boot.Cmd;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FatFilesystemTest {
  @TempDir static Path tmp;
  static Path source;

  @BeforeAll
  static void tree() throws Exception {
    source = tmp.resolve("src");
    Files.createDirectories(source.resolve("EFI/BOOT"));
    Files.createDirectories(source.resolve("loader/entries"));
    Files.createDirectories(source.resolve("many"));
    Random r = new Random(7);
    byte[] big = new byte[700_000];
    r.nextBytes(big);
    Files.write(source.resolve("EFI/BOOT/BOOTX64.EFI"), big);
    Files.writeString(source.resolve("loader/entries/fedora-6.11.4-301.fc41.x86_64.conf"),
        "title Fedora\nversion 6.11.4-301.fc41.x86_64\n");
    Files.writeString(source.resolve("short.txt"), "x");
    Files.writeString(source.resolve("MixedCase Name With Spaces.cfg"), "y");
    for (int i = 0; i < 300; i++) {
      Files.writeString(source.resolve("many/entry-number-" + i + ".conf"), "v" + i);
    }
  }

  @ParameterizedTest
  @CsvSource({"12,4", "16,32", "32,34", "32,64"})
  void open_mkfsVfat_readsEveryFileWithLongNames(int bits, int megabytes) throws Exception {
    Path img = tmp.resolve("fat" + bits + "-" + megabytes + ".img");
    Cmd.sh("truncate -s " + megabytes + "M " + img + " && mkfs.vfat -F " + bits + " " + img
        + " >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -s -i " + img + " " + source + "/* ::/");
    try (RawFileDevice dev = RawFileDevice.open(img);
        Filesystem fs = FilesystemProbe.open(dev).orElseThrow()) {
      assertThat(fs.type()).isEqualTo("vfat");
      assertThat(((FatFilesystem) fs).fatBits()).isEqualTo(bits);
      assertThat(fs.uuid()).isEqualTo(Cmd.run("blkid", "-s", "UUID", "-o", "value", img.toString()).trim());
      assertThat(TreeAssert.assertSameTree(source, fs)).isGreaterThan(300);
      assertThat(new FsPaths(fs).resolve("/efi/boot/bootx64.efi")).isPresent();
    }
  }

  @Test
  void open_clusterChainLoop_throwsMalformed() throws Exception {
    Path img = tmp.resolve("loop.img");
    Cmd.sh("truncate -s 4M " + img + " && mkfs.vfat -F 12 " + img
        + " >/dev/null && MTOOLS_SKIP_CHECK=1 mcopy -i " + img + " " + source
        + "/EFI/BOOT/BOOTX64.EFI ::/big.bin");
    int reserved;
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer bs = ByteBuffer.allocate(512);
      ch.read(bs, 0);
      reserved = (bs.get(14) & 0xFF) | (bs.get(15) & 0xFF) << 8;
      // cluster 3 -> 2 (FAT12: entry 3 is the high 12 bits of bytes 4..5)
      ByteBuffer two = ByteBuffer.allocate(2);
      long off = reserved * 512L + 4;
      ch.read(two, off);
      int v = (two.get(0) & 0xFF) | (two.get(1) & 0xFF) << 8;
      v = (v & 0x000F) | (2 << 4);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) v, (byte) (v >> 8)}), off);
    }
    try (RawFileDevice dev = RawFileDevice.open(img); Filesystem fs = FatFilesystem.open(dev)) {
      var node = new FsPaths(fs).resolve("/big.bin").orElseThrow();
      assertThatThrownBy(() -> fs.open(node).readAllBytes())
          .isInstanceOf(MalformedDiskIOException.class);
    }
  }
}
