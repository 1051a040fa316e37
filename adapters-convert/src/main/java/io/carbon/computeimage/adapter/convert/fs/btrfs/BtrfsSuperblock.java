package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The fields of the primary btrfs superblock a reader needs, validated.
 *
 * @param fsid the filesystem UUID (as blkid prints it)
 * @param metadataFsid the UUID stamped in tree block headers
 * @param rootTree logical address of the root tree
 * @param rootLevel level of the root tree's root node
 * @param chunkTree logical address of the chunk tree
 * @param chunkLevel level of the chunk tree's root node
 * @param rootDirObjectId the root tree directory holding the {@code default} entry
 * @param sectorSize the sector size
 * @param nodeSize the tree node size
 * @param devId this device's id
 * @param csumType the checksum type (0 = crc32c)
 * @param sysChunkArray the bootstrap chunk items
 */
record BtrfsSuperblock(
    byte[] fsid,
    byte[] metadataFsid,
    long rootTree,
    int rootLevel,
    long chunkTree,
    int chunkLevel,
    long rootDirObjectId,
    int sectorSize,
    int nodeSize,
    long devId,
    int csumType,
    byte[] sysChunkArray) {

  static final long OFFSET = 0x10000;
  static final int SIZE = 4096;
  static final byte[] MAGIC = "_BHRfS_M".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final int MAX_LEVEL = 7;

  private static final long INCOMPAT_METADATA_UUID = 1L << 10;
  private static final long INCOMPAT_EXTENT_TREE_V2 = 1L << 13;
  private static final long INCOMPAT_RAID_STRIPE_TREE = 1L << 14;
  /** Incompatible features that do not change how the trees this reader uses are read. */
  private static final long INCOMPAT_KNOWN = 0x1fffL | (1L << 16);

  static boolean hasMagic(byte[] b) {
    return b.length >= 72 && Arrays.equals(b, 64, 72, MAGIC, 0, 8);
  }

  static BtrfsSuperblock parse(byte[] b, boolean verifyCsum) throws MalformedDiskIOException {
    String w = "superblock";
    if (b.length < SIZE || !hasMagic(b)) {
      throw new MalformedDiskIOException("not a btrfs filesystem (no _BHRfS_M magic at 64 KiB)");
    }
    int csumType = Le.u16(b, 196, w);
    if (csumType == 0 && verifyCsum) {
      CRC32C crc = new CRC32C();
      crc.update(b, 32, SIZE - 32);
      if ((int) crc.getValue() != (int) Le.u32(b, 0, w)) {
        throw new MalformedDiskIOException("btrfs superblock checksum does not match");
      }
    } else if (csumType > 3) {
      throw new MalformedDiskIOException("btrfs checksum type " + csumType + " is unknown");
    }
    long bytenr = Le.u64(b, 48, w);
    if (bytenr != OFFSET) {
      throw new MalformedDiskIOException("btrfs primary superblock claims to be at byte " + bytenr);
    }
    long incompat = Le.u64(b, 188, w);
    if ((incompat & (INCOMPAT_EXTENT_TREE_V2 | INCOMPAT_RAID_STRIPE_TREE)) != 0
        || (incompat & ~INCOMPAT_KNOWN) != 0) {
      throw new MalformedDiskIOException(
          "btrfs incompatible features 0x" + Long.toHexString(incompat) + " are not supported");
    }
    long sectorSize = Le.u32(b, 144, w);
    long nodeSize = Le.u32(b, 148, w);
    if (sectorSize < 4096 || sectorSize > 65536 || Long.bitCount(sectorSize) != 1) {
      throw new MalformedDiskIOException("btrfs sector size " + sectorSize + " is invalid");
    }
    if (nodeSize < sectorSize || nodeSize > 65536 || Long.bitCount(nodeSize) != 1) {
      throw new MalformedDiskIOException("btrfs node size " + nodeSize + " is invalid");
    }
    long numDevices = Le.u64(b, 136, w);
    if (numDevices != 1) {
      throw new MalformedDiskIOException(
          "btrfs filesystem spans " + numDevices + " devices (only single-device is supported)");
    }
    long sysLen = Le.u32(b, 160, w);
    if (sysLen > 2048) {
      throw new MalformedDiskIOException("btrfs sys_chunk_array size " + sysLen + " is invalid");
    }
    int rootLevel = Le.u8(b, 198, w);
    int chunkLevel = Le.u8(b, 199, w);
    if (rootLevel > MAX_LEVEL || chunkLevel > MAX_LEVEL) {
      throw new MalformedDiskIOException(
          "btrfs tree levels " + rootLevel + "/" + chunkLevel + " are invalid");
    }
    byte[] fsid = Arrays.copyOfRange(b, 32, 48);
    byte[] metaFsid = (incompat & INCOMPAT_METADATA_UUID) != 0 ? Arrays.copyOfRange(b, 571, 587) : fsid;
    return new BtrfsSuperblock(
        fsid,
        metaFsid,
        Le.u64(b, 80, w),
        rootLevel,
        Le.u64(b, 88, w),
        chunkLevel,
        Le.u64(b, 128, w),
        (int) sectorSize,
        (int) nodeSize,
        Le.u64(b, 201, w),
        csumType,
        Arrays.copyOfRange(b, 811, 811 + (int) sysLen));
  }
}
