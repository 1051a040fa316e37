package io.carbon.computeimage.adapter.convert.fs.btrfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures;
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

/**
 * Corrupts a real mkfs.btrfs-made filesystem (the fuzz seed: 4 KiB nodes, DUP metadata, zstd, lzo
 * and zlib files, a default subvolume) and checks that each corruption fails cleanly.
 */
class BtrfsMalformedTest {
  private static final long SB = 0x10000;
  private SparseDevice base;

  @BeforeEach
  void load() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("BtrfsFuzzTestInputs/openAndWalk/seed")) {
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
    return base.readFully(SB, 4096);
  }

  /** Recomputes a superblock's or node's CRC-32C (over everything after the 32-byte csum). */
  private static byte[] withCsum(byte[] b) {
    CRC32C crc = new CRC32C();
    crc.update(b, 32, b.length - 32);
    ByteBuffer.wrap(b, 0, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
    return b;
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void walkAll(PatchedDevice dev) throws IOException {
    try (BtrfsFilesystem fs = BtrfsFilesystem.open(dev)) {
      FsFixtures.walk(fs, 1000);
      FsFixtures.walk(fs, fs.subvolumeRoot(BtrfsFilesystem.FS_TREE), 1000);
    }
  }

  @Test
  void open_intactSeed_hasDefaultSubvolumeAndWalks() throws IOException {
    try (BtrfsFilesystem fs = BtrfsFilesystem.open(base)) {
      assertThat(fs.defaultSubvolumeId()).isEqualTo(256);
      assertThat(FsFixtures.walk(fs, fs.subvolumeRoot(BtrfsFilesystem.FS_TREE), 1000)).isGreaterThan(40);
    }
  }

  @Test
  void open_badMagic_refused() throws IOException {
    PatchedDevice dev = new PatchedDevice(base).patch(SB + 64, "_BHRfS_X".getBytes());
    assertThat(BtrfsFilesystem.probe(dev)).isFalse();
    failsCleanly("no _BHRfS_M magic", () -> BtrfsFilesystem.open(dev));
  }

  @Test
  void open_superblockChecksumMismatch_refused() throws IOException {
    byte[] sb = superblock();
    sb[300] ^= 1; // the label
    failsCleanly("checksum", () -> BtrfsFilesystem.open(new PatchedDevice(base).patch(SB, sb)));
  }

  @Test
  void open_invalidNodeSize_refused() throws IOException {
    byte[] sb = superblock();
    le(sb).putInt(148, 12345);
    failsCleanly("node size", () -> BtrfsFilesystem.open(new PatchedDevice(base).patch(SB, withCsum(sb))));
  }

  @Test
  void open_twoDevices_refused() throws IOException {
    byte[] sb = superblock();
    le(sb).putLong(136, 2);
    failsCleanly("single-device", () -> BtrfsFilesystem.open(new PatchedDevice(base).patch(SB, withCsum(sb))));
  }

  @Test
  void open_raidSystemChunk_refusedClearly() throws IOException {
    byte[] sb = superblock();
    // first sys_chunk_array entry: 17-byte key, then the chunk item whose type is at +24
    long type = le(sb).getLong(811 + 17 + 24);
    le(sb).putLong(811 + 17 + 24, (type & ~32L) | 16L);
    failsCleanly("RAID profile", () -> BtrfsFilesystem.open(new PatchedDevice(base).patch(SB, withCsum(sb))));
  }

  @Test
  void open_rootTreePointerElsewhere_refused() throws IOException {
    byte[] sb = superblock();
    le(sb).putLong(80, le(sb).getLong(88)); // root tree -> chunk tree root
    failsCleanly("level", () -> walkAll(new PatchedDevice(base).patch(SB, withCsum(sb))));
  }

  @Test
  void open_rootTreeLevelTooHigh_refused() throws IOException {
    byte[] sb = superblock();
    sb[198] = 9;
    failsCleanly("levels", () -> BtrfsFilesystem.open(new PatchedDevice(base).patch(SB, withCsum(sb))));
  }

  @Test
  void open_rootTreeUnmappedAddress_refused() throws IOException {
    byte[] sb = superblock();
    le(sb).putLong(80, 1L << 50);
    failsCleanly("not in any chunk", () -> BtrfsFilesystem.open(new PatchedDevice(base).patch(SB, withCsum(sb))));
  }

  /** Physical offsets of both DUP copies of the FS tree root of subvolume 5. */
  private long[] topTreeRootCopies(BtrfsFilesystem fs) throws IOException {
    BtrfsNode top = (BtrfsNode) fs.subvolumeRoot(BtrfsFilesystem.FS_TREE);
    long logical = top.tree().root();
    return new long[] {fs.chunks().map(logical, fs.superblock().nodeSize())};
  }

  @Test
  void list_leafKeysOutOfOrder_refused() throws IOException {
    long phys;
    int nodeSize;
    try (BtrfsFilesystem fs = BtrfsFilesystem.open(base)) {
      phys = topTreeRootCopies(fs)[0];
      nodeSize = fs.superblock().nodeSize();
    }
    byte[] node = base.readFully(phys, nodeSize);
    int level = node[100];
    int slot = 101 + (level == 0 ? 25 : 33);
    // make the second key smaller than the first
    le(node).putLong(slot, 0);
    PatchedDevice dev = new PatchedDevice(base).patch(phys, withCsum(node));
    failsCleanly("out of order", () -> walkAll(dev));
  }

  @Test
  void list_nodeChecksumMismatch_refused() throws IOException {
    long phys;
    try (BtrfsFilesystem fs = BtrfsFilesystem.open(base)) {
      phys = topTreeRootCopies(fs)[0];
    }
    PatchedDevice dev = new PatchedDevice(base).patch(phys + 200, new byte[] {1, 2, 3});
    failsCleanly("checksum", () -> walkAll(dev));
  }

  @Test
  void open_compressedExtentCorrupt_refused() throws IOException {
    for (String name : new String[] {"z.txt", "g.txt", "l.txt"}) {
      long phys;
      long len;
      try (BtrfsFilesystem fs = BtrfsFilesystem.open(base)) {
        FsNode top = fs.subvolumeRoot(BtrfsFilesystem.FS_TREE);
        BtrfsNode n = (BtrfsNode) fs.lookup(top, name).orElseThrow();
        BtrfsFileExtent e = fs.extents(n)[0];
        assertThat(e.compression()).isNotZero();
        phys = fs.chunks().map(e.diskBytenr(), e.diskNumBytes());
        len = e.diskNumBytes();
      }
      byte[] junk = new byte[(int) len - 8];
      java.util.Arrays.fill(junk, (byte) 0x5a);
      PatchedDevice dev = new PatchedDevice(base).patch(phys + 8, junk);
      failsCleanly("", () -> {
        try (BtrfsFilesystem fs = BtrfsFilesystem.open(dev);
            InputStream in = fs.open(fs.lookup(fs.subvolumeRoot(5), name).orElseThrow())) {
          in.readAllBytes();
        }
      });
    }
  }
}
