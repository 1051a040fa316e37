package io.carbon.computeimage.adapter.convert.fs.ext4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FilesystemProbe;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.SourceTrees;
import io.carbon.computeimage.adapter.convert.fs.TreeAssert;
import io.carbon.computeimage.testkit.boot.Cmd;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ext4FilesystemTest {
  @TempDir static Path tmp;
  static Path source;

  @BeforeAll
  static void tree() throws Exception {
    source = tmp.resolve("src");
    SourceTrees.write(source, 3000, 1500, 1024);
  }

  private static Path mkfs(String name, String... options) {
    Path img = tmp.resolve(name + ".img");
    String opts = String.join(" ", options);
    Cmd.sh("mke2fs -q -F -t ext4 " + opts + " -d " + source + " " + img + " 64M");
    // e2fsck -D rebuilds big directories as htree indexes
    Cmd.sh("e2fsck -fyD " + img + " >/dev/null 2>&1 || [ $? -le 1 ]");
    return img;
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "-b 1024 -O 64bit,metadata_csum,metadata_csum_seed,orphan_file",
      "-b 4096 -O ^64bit,^metadata_csum",
      "-b 1024 -O ^extent,^flex_bg,^64bit",
      "-b 4096 -O inline_data,64bit",
      "-b 4096 -O ^has_journal,meta_bg,^resize_inode"})
  void open_mkfsTree_readsEveryFileAndLink(String options) throws Exception {
    Path img = mkfs("fs" + Math.abs(options.hashCode()), options);
    try (RawFileDevice dev = RawFileDevice.open(img);
        Filesystem fs = FilesystemProbe.open(dev).orElseThrow()) {
      assertThat(fs.type()).isEqualTo("ext4");
      assertThat(fs.uuid()).isEqualTo(Cmd.run("blkid", "-s", "UUID", "-o", "value", img.toString()).trim());
      int n = TreeAssert.assertSameTree(source, fs);
      assertThat(n).isGreaterThan(3000);
      FsPaths paths = new FsPaths(fs);
      Optional<FsNode> viaLink = paths.resolve("/abslink");
      assertThat(viaLink).isPresent();
      assertThat(viaLink.get().size()).isEqualTo(Files.size(source.resolve("boot/vmlinuz-6.1.0-1-amd64")));
      assertThat(paths.resolve("/slowlink")).isPresent();
    }
  }

  @Test
  void open_bigDirectory_isHtreeIndexed() {
    Path img = mkfs("htree", "-b 4096");
    String out = Cmd.sh("debugfs -R 'htree /big' " + img + " 2>&1 | head -5");
    assertThat(out).contains("Root node dump");
  }

  @Test
  void open_sparseFile_hasMultiLevelExtentTree() throws Exception {
    Path img = mkfs("deep", "-b 1024");
    String out = Cmd.sh("debugfs -R 'stat /sparse.bin' " + img + " 2>&1");
    assertThat(out.contains("(ETB1)")).as("debugfs shows a second extent tree level").isTrue();
    try (RawFileDevice dev = RawFileDevice.open(img); Filesystem fs = Ext4Filesystem.open(dev)) {
      FsNode n = new FsPaths(fs).resolve("/sparse.bin").orElseThrow();
      try (InputStream a = fs.open(n); InputStream b = Files.newInputStream(source.resolve("sparse.bin"))) {
        assertThat(TreeAssert.sha256(a)).isEqualTo(TreeAssert.sha256(b));
      }
    }
  }

  @Test
  void open_symlinkLoop_isDetected() throws Exception {
    Path src = tmp.resolve("loopsrc");
    Files.createDirectories(src);
    Files.createSymbolicLink(src.resolve("a"), Path.of("b"));
    Files.createSymbolicLink(src.resolve("b"), Path.of("/a"));
    Path img = tmp.resolve("loop.img");
    Cmd.sh("mke2fs -q -F -t ext4 -d " + src + " " + img + " 8M");
    try (RawFileDevice dev = RawFileDevice.open(img); Filesystem fs = Ext4Filesystem.open(dev)) {
      assertThatThrownBy(() -> new FsPaths(fs).resolve("/a/x"))
          .isInstanceOf(MalformedDiskIOException.class).hasMessageContaining("loop");
    }
  }

  @Test
  void open_corruptedSuperblock_throwsMalformed() throws Exception {
    Path img = tmp.resolve("bad.img");
    Files.copy(mkfs("good", "-b 4096"), img);
    try (var ch = java.nio.channels.FileChannel.open(img, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}), 1024 + 32);
    }
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      assertThatThrownBy(() -> Ext4Filesystem.open(dev))
          .isInstanceOf(MalformedDiskIOException.class).hasMessageContaining("per group");
    }
  }
}
