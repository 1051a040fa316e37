package io.carbon.computeimage.adapter.convert.fs.xfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.SparseDevice;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the XFS reader (superblock, inodes, forks, bmap btrees, directories) with sparse-device
 * inputs; in CI it runs in regression mode over the seed corpus in test resources. Any outcome but
 * success or an IOException (MalformedDiskIOException) is a failure. Checksums are not verified
 * here, so that mutations reach the parsers behind them.
 */
class XfsFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void openAndWalk(byte[] data) {
    try (SparseDevice dev = new SparseDevice(data);
        XfsFilesystem fs = XfsFilesystem.open(dev, false)) {
      FsFixtures.walk(fs, 500);
    } catch (IOException expected) {
      // malformed input is reported as an IOException
    }
  }

  @Test
  void seed_v5_isAReadableFilesystem() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("XfsFuzzTestInputs/openAndWalk/v5-seed")) {
      byte[] seed = in.readAllBytes();
      assertThat(seed.length).isLessThan(100_000);
      try (SparseDevice dev = new SparseDevice(seed);
          XfsFilesystem fs = XfsFilesystem.open(dev)) {
        assertThat(FsFixtures.walk(fs, 500)).isGreaterThan(30);
      }
    }
  }
}
