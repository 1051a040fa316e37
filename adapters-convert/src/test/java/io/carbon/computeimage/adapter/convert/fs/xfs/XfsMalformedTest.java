package io.carbon.computeimage.adapter.convert.fs.xfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.PatchedDevice;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.SparseDevice;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Corrupts a real mkfs.xfs-made filesystem (the fuzz seed: v5, shortform and block directories, a
 * btree-fork file, local and remote symlinks) and checks that each corruption fails cleanly.
 */
class XfsMalformedTest {
  private SparseDevice base;

  @BeforeEach
  void load() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("XfsFuzzTestInputs/openAndWalk/v5-seed")) {
      base = new SparseDevice(in.readAllBytes());
    }
  }

  private static void failsCleanly(String message, Executable action) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(action::execute)
                .isInstanceOf(MalformedDiskIOException.class)
                .hasMessageContaining(message));
  }

  private byte[] superblock() throws IOException {
    return base.readFully(0, 512);
  }

  private static byte[] withCrc(byte[] sb) {
    sb[224] = sb[225] = sb[226] = sb[227] = 0;
    CRC32C crc = new CRC32C();
    crc.update(sb, 0, 512);
    ByteBuffer.wrap(sb, 224, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    return sb;
  }

  @Test
  void open_intactSeed_walksEverything() throws IOException {
    try (XfsFilesystem fs = XfsFilesystem.open(base)) {
      assertThat(FsFixtures.walk(fs, 1000)).isGreaterThan(40);
    }
  }

  @Test
  void open_badMagic_refused() throws IOException {
    PatchedDevice dev = new PatchedDevice(base).patch(0, new byte[] {'X', 'F', 'S', 'C'});
    assertThat(XfsFilesystem.probe(dev)).isFalse();
    failsCleanly("not an XFS", () -> XfsFilesystem.open(dev));
  }

  @Test
  void open_superblockChecksumMismatch_refused() throws IOException {
    byte[] sb = superblock();
    sb[108] ^= 1; // the label
    failsCleanly("checksum", () -> XfsFilesystem.open(new PatchedDevice(base).patch(0, sb)));
  }

  @ParameterizedTest
  @CsvSource({
    "4,4,3000,block size",
    "4,4,0,block size",
    "88,4,0,allocation group",
    "84,4,1,allocation group",
    "104,2,100,inode size",
    "102,2,7,sector size",
    "106,2,9,inodes per block",
    "8,8,999999999999,data block count",
    "192,1,9,directory block",
    "216,4,4096,incompatible features"
  })
  void open_invalidGeometry_refused(int offset, int width, long value, String message)
      throws IOException {
    byte[] sb = superblock();
    for (int i = 0; i < width; i++) {
      sb[offset + i] = (byte) (value >>> (8 * (width - 1 - i)));
    }
    failsCleanly(message, () -> XfsFilesystem.open(new PatchedDevice(base).patch(0, withCrc(sb))));
  }

  @Test
  void open_rootInodeOutOfRange_refused() throws IOException {
    byte[] sb = superblock();
    ByteBuffer.wrap(sb).putLong(56, 1L << 60);
    failsCleanly("inode number", () -> XfsFilesystem.open(new PatchedDevice(base).patch(0, withCrc(sb))));
  }

  private long inodeOffset(String path) throws IOException {
    try (XfsFilesystem fs = XfsFilesystem.open(base)) {
      XfsInode in = (XfsInode) new FsPaths(fs).resolveNoFollow(path).orElseThrow();
      return fs.superblock().inodeOffset(in.ino);
    }
  }

  private int forkSize(String path) throws IOException {
    try (XfsFilesystem fs = XfsFilesystem.open(base)) {
      XfsInode in = (XfsInode) new FsPaths(fs).resolveNoFollow(path).orElseThrow();
      assertThat(in.format).isEqualTo(XfsInode.FORMAT_BTREE);
      return in.fork.length;
    }
  }

  @Test
  void open_bmapRootRepeatsAPointer_refusedAsCycle() throws IOException {
    long fork = inodeOffset("/unw") + 176;
    int size = forkSize("/unw");
    byte[] root = base.readFully(fork, size);
    int maxRecs = (size - 4) / 16;
    long ptr = ByteBuffer.wrap(root).getLong(4 + maxRecs * 8);
    ByteBuffer.wrap(root).putShort(2, (short) 2).putLong(4 + maxRecs * 8 + 8, ptr).putLong(12, 1000);
    PatchedDevice dev = new PatchedDevice(base).patch(fork, root);
    failsCleanly("twice", () -> readFile(dev, "/unw"));
  }

  @Test
  void open_bmapPointerOutOfRange_refused() throws IOException {
    long fork = inodeOffset("/unw") + 176;
    int maxRecs = (forkSize("/unw") - 4) / 16;
    byte[] bad = ByteBuffer.allocate(8).putLong(0x7fffffffffffL).array();
    PatchedDevice dev = new PatchedDevice(base).patch(fork + 4 + maxRecs * 8, bad);
    failsCleanly("out of range", () -> readFile(dev, "/unw"));
  }

  @Test
  void open_bmapRootLevelWrong_refused() throws IOException {
    long fork = inodeOffset("/unw") + 176;
    PatchedDevice dev = new PatchedDevice(base).patch(fork, new byte[] {0, 2});
    failsCleanly("level", () -> readFile(dev, "/unw"));
  }

  @Test
  void list_directoryFreeRegionOfZeroLength_refused() throws IOException {
    long dirBlock;
    try (XfsFilesystem fs = XfsFilesystem.open(base)) {
      XfsInode blk = (XfsInode) new FsPaths(fs).resolve("/blk").orElseThrow();
      XfsExtent e = XfsExtentMap.read(base, fs.superblock(), blk).get(0);
      dirBlock = fs.superblock().blockOffset(e.fsBlock());
    }
    // the first entry after the 64-byte header becomes a free region of length 0
    PatchedDevice dev = new PatchedDevice(base).patch(dirBlock + 64, new byte[] {-1, -1, 0, 0});
    failsCleanly("free region", () -> {
      try (XfsFilesystem fs = XfsFilesystem.open(dev)) {
        fs.list(new FsPaths(fs).resolve("/blk").orElseThrow());
      }
    });
  }

  @Test
  void readLink_remoteSymlinkTooLong_refused() throws IOException {
    long in = inodeOffset("/rlink");
    PatchedDevice dev = new PatchedDevice(base).patch(in + 56, ByteBuffer.allocate(8).putLong(1L << 40).array());
    failsCleanly("length", () -> {
      try (XfsFilesystem fs = XfsFilesystem.open(dev)) {
        fs.readLink(new FsPaths(fs).resolveNoFollow("/rlink").orElseThrow());
      }
    });
  }

  @Test
  void lookup_inodeWithoutMagic_refused() throws IOException {
    long in = inodeOffset("/a");
    PatchedDevice dev = new PatchedDevice(base).patch(in, new byte[] {0, 0});
    failsCleanly("no IN magic", () -> readFile(dev, "/a"));
  }

  @Test
  void open_truncatedDevice_refused() throws IOException {
    byte[] sb = superblock();
    SparseDevice tiny = new SparseDevice(ByteBuffer.allocate(8 + 6 + 512).putLong(1 << 20)
        .putInt(0).putShort((short) 1).put(sb).array());
    failsCleanly("larger than its device", () -> XfsFilesystem.open(tiny));
  }

  private static void readFile(PatchedDevice dev, String path) throws IOException {
    try (XfsFilesystem fs = XfsFilesystem.open(dev);
        InputStream in = fs.open(new FsPaths(fs).resolve(path).orElseThrow())) {
      in.readAllBytes();
    }
  }
}
