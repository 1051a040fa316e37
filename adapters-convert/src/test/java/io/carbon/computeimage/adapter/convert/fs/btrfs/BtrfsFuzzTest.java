package io.carbon.computeimage.adapter.convert.fs.btrfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.SparseDevice;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the btrfs reader (superblock, chunk tree, tree nodes, items, extents, decompression) with
 * sparse-device inputs (checksums not verified, so mutations reach the parsers); in CI it runs in
 * regression mode over the seed corpus in test resources.
 */
class BtrfsFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void openAndWalk(byte[] data) {
    try (SparseDevice dev = new SparseDevice(data);
        BtrfsFilesystem fs = BtrfsFilesystem.open(dev, false)) {
      FsFixtures.walk(fs, 500);
      FsFixtures.walk(fs, fs.subvolumeRoot(BtrfsFilesystem.FS_TREE), 500);
    } catch (IOException expected) {
      // malformed input is reported as an IOException
    }
  }

  /** Fuzzes the LZO1X decoder and btrfs LZO framing directly. */
  @FuzzTest(maxDuration = "30s")
  void decompress(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int type = 1 + (data[0] & 0xff) % 3;
    int outLen = 1 + ((data[1] & 0xff) << 4);
    try {
      BtrfsDecompressor.decompress(type, java.util.Arrays.copyOfRange(data, 2, data.length), outLen, 4096);
    } catch (IOException expected) {
      // malformed input
    }
  }

  @Test
  void seed_isAReadableFilesystemWithCompressedFiles() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("BtrfsFuzzTestInputs/openAndWalk/seed")) {
      byte[] seed = in.readAllBytes();
      assertThat(seed.length).isLessThan(100_000);
      try (SparseDevice dev = new SparseDevice(seed);
          BtrfsFilesystem fs = BtrfsFilesystem.open(dev)) {
        assertThat(FsFixtures.walk(fs, 500)).isGreaterThan(2);
        assertThat(FsFixtures.walk(fs, fs.subvolumeRoot(BtrfsFilesystem.FS_TREE), 500))
            .isGreaterThan(40);
      }
    }
  }
}
