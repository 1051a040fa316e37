package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The fields of the XFS primary superblock (AG 0, sector 0) that a reader needs, validated.
 *
 * @param version 4 or 5
 * @param blockSize filesystem block size in bytes
 * @param blockLog log2 of the block size
 * @param dataBlocks number of data blocks
 * @param agCount number of allocation groups
 * @param agBlocks blocks per allocation group
 * @param agBlockLog bits of an AG-relative block number
 * @param inodeSize inode size in bytes
 * @param inodesPerBlockLog log2 of inodes per block
 * @param sectorSize sector size
 * @param dirBlockSize directory block size in bytes
 * @param rootIno the root directory's inode number
 * @param hasFtype whether directory entries carry a file type byte
 * @param hasNrext64 whether the large extent counter feature is on
 * @param uuid the filesystem UUID, formatted as blkid prints it
 */
record XfsSuperblock(
    int version,
    int blockSize,
    int blockLog,
    long dataBlocks,
    long agCount,
    long agBlocks,
    int agBlockLog,
    int inodeSize,
    int inodesPerBlockLog,
    int sectorSize,
    int dirBlockSize,
    long rootIno,
    boolean hasFtype,
    boolean hasNrext64,
    String uuid) {

  static final long MAGIC = 0x58465342L; // "XFSB"
  static final int INCOMPAT_FTYPE = 0x1;
  static final int INCOMPAT_SPINODES = 0x2;
  static final int INCOMPAT_META_UUID = 0x4;
  static final int INCOMPAT_BIGTIME = 0x8;
  static final int INCOMPAT_NEEDSREPAIR = 0x10;
  static final int INCOMPAT_NREXT64 = 0x20;
  /** Incompatible features this reader understands (others are refused). */
  static final long INCOMPAT_KNOWN =
      INCOMPAT_FTYPE
          | INCOMPAT_SPINODES
          | INCOMPAT_META_UUID
          | INCOMPAT_BIGTIME
          | INCOMPAT_NEEDSREPAIR
          | INCOMPAT_NREXT64
          | 0x40 /* exchange-range: log-only */
          | 0x80 /* parent pointers: extra attributes only */;
  private static final int VERSION2_FTYPE = 0x200;
  private static final int SB_VERSION_DIRV2 = 0x2000;

  /**
   * Parses and validates a superblock.
   *
   * @param b at least 512 bytes from the start of the filesystem
   * @param deviceSize the size of the device, to bound the geometry
   * @param verifyCrc whether to verify the v5 CRC
   * @return the superblock
   * @throws MalformedDiskIOException when it is not XFS or a field is out of range
   */
  static XfsSuperblock parse(byte[] b, long deviceSize, boolean verifyCrc)
      throws MalformedDiskIOException {
    if (b.length < 512 || Be.u32(b, 0, "superblock") != MAGIC) {
      throw new MalformedDiskIOException("not an XFS filesystem (no XFSB magic)");
    }
    String w = "superblock";
    int versionNum = Be.u16(b, 100, w);
    int version = versionNum & 0xf;
    if (version != 4 && version != 5) {
      throw new MalformedDiskIOException("XFS superblock version " + version + " is not supported");
    }
    long blockSize = Be.u32(b, 4, w);
    int blockLog = Be.u8(b, 120, w);
    if (blockLog < 9 || blockLog > 16 || blockSize != (1L << blockLog)) {
      throw new MalformedDiskIOException(
          "XFS block size " + blockSize + " (log " + blockLog + ") is invalid");
    }
    int sectorSize = Be.u16(b, 102, w);
    int sectLog = Be.u8(b, 121, w);
    if (sectLog < 9 || sectLog > 15 || sectorSize != (1 << sectLog) || sectorSize > blockSize) {
      throw new MalformedDiskIOException("XFS sector size " + sectorSize + " is invalid");
    }
    int inodeSize = Be.u16(b, 104, w);
    int inodeLog = Be.u8(b, 122, w);
    if (inodeLog < 8 || inodeLog > 11 || inodeSize != (1 << inodeLog) || inodeSize > blockSize) {
      throw new MalformedDiskIOException("XFS inode size " + inodeSize + " is invalid");
    }
    if (version == 5 && inodeSize < 512) {
      throw new MalformedDiskIOException("XFS v5 inode size " + inodeSize + " is below 512");
    }
    int inopblock = Be.u16(b, 106, w);
    int inopbLog = Be.u8(b, 123, w);
    if (inopbLog != blockLog - inodeLog || inopblock != (1 << inopbLog)) {
      throw new MalformedDiskIOException(
          "XFS inodes per block " + inopblock + " does not match block and inode sizes");
    }
    long agBlocks = Be.u32(b, 84, w);
    long agCount = Be.u32(b, 88, w);
    int agBlockLog = Be.u8(b, 124, w);
    if (agBlocks < 16 || agCount < 1 || agBlockLog < 4 || agBlockLog > 31
        || agBlocks > (1L << agBlockLog) || agBlocks <= (1L << (agBlockLog - 1))) {
      throw new MalformedDiskIOException(
          "XFS allocation group geometry is invalid: agblocks " + agBlocks + ", agblklog "
              + agBlockLog + ", agcount " + agCount);
    }
    long dataBlocks = Be.u64(b, 8, w);
    if (dataBlocks < 1 || dataBlocks > agCount * agBlocks
        || dataBlocks <= (agCount - 1) * agBlocks) {
      throw new MalformedDiskIOException(
          "XFS data block count " + dataBlocks + " does not match " + agCount + " AGs of "
              + agBlocks + " blocks");
    }
    if (dataBlocks > deviceSize / blockSize) {
      throw new MalformedDiskIOException(
          "XFS filesystem of " + dataBlocks + " blocks of " + blockSize
              + " bytes is larger than its device (" + deviceSize + " bytes)");
    }
    if (agBlockLog + inopbLog > 32 + 31) {
      throw new MalformedDiskIOException("XFS inode number layout is invalid");
    }
    int dirBlockLog = Be.u8(b, 192, w);
    if (blockLog + dirBlockLog > 16) {
      throw new MalformedDiskIOException("XFS directory block log " + dirBlockLog + " is invalid");
    }
    boolean ftype;
    boolean nrext64 = false;
    if (version == 5) {
      int sbCrc = ByteBuffer.wrap(b, 224, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      byte[] copy = java.util.Arrays.copyOf(b, sectorSize <= b.length ? sectorSize : b.length);
      copy[224] = copy[225] = copy[226] = copy[227] = 0;
      CRC32C crc = new CRC32C();
      crc.update(copy, 0, copy.length);
      if (verifyCrc && (int) crc.getValue() != sbCrc) {
        throw new MalformedDiskIOException("XFS superblock checksum does not match");
      }
      long incompat = Be.u32(b, 216, w);
      if ((incompat & ~INCOMPAT_KNOWN) != 0) {
        throw new MalformedDiskIOException(
            "XFS incompatible features 0x" + Long.toHexString(incompat & ~INCOMPAT_KNOWN)
                + " are not supported");
      }
      ftype = (incompat & INCOMPAT_FTYPE) != 0;
      nrext64 = (incompat & INCOMPAT_NREXT64) != 0;
    } else {
      if ((versionNum & SB_VERSION_DIRV2) == 0) {
        throw new MalformedDiskIOException("XFS v4 without version 2 directories is not supported");
      }
      ftype = (versionNum & 0x8000) != 0 && (Be.u32(b, 200, w) & VERSION2_FTYPE) != 0;
    }
    long rootIno = Be.u64(b, 56, w);
    return new XfsSuperblock(
        version,
        (int) blockSize,
        blockLog,
        dataBlocks,
        agCount,
        agBlocks,
        agBlockLog,
        inodeSize,
        inopbLog,
        sectorSize,
        (int) blockSize << dirBlockLog,
        rootIno,
        ftype,
        nrext64,
        formatUuid(b, 32));
  }

  private static String formatUuid(byte[] b, int off) {
    StringBuilder s = new StringBuilder(36);
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        s.append('-');
      }
      s.append(String.format("%02x", b[off + i] & 0xff));
    }
    return s.toString();
  }

  /**
   * Converts a filesystem block number (AG number in the high bits) to a byte offset.
   *
   * @param fsBlock the block number
   * @return the byte offset on the device
   * @throws MalformedDiskIOException when it names a block outside the filesystem
   */
  long blockOffset(long fsBlock) throws MalformedDiskIOException {
    long agno = fsBlock >>> agBlockLog;
    long agbno = fsBlock & ((1L << agBlockLog) - 1);
    if (fsBlock < 0 || agno >= agCount || agbno >= agBlocks) {
      throw new MalformedDiskIOException("XFS block number " + fsBlock + " is out of range");
    }
    long linear = agno * agBlocks + agbno;
    if (linear >= dataBlocks) {
      throw new MalformedDiskIOException(
          "XFS block number " + fsBlock + " lies past the end of the filesystem");
    }
    return linear << blockLog;
  }

  /**
   * Converts an inode number to the byte offset of the inode.
   *
   * @param ino the inode number
   * @return the byte offset on the device
   * @throws MalformedDiskIOException when the number is out of range
   */
  long inodeOffset(long ino) throws MalformedDiskIOException {
    int aginoBits = agBlockLog + inodesPerBlockLog;
    if (ino <= 0 || aginoBits >= 63) {
      throw new MalformedDiskIOException("XFS inode number " + ino + " is invalid");
    }
    long agno = ino >>> aginoBits;
    long agino = ino & ((1L << aginoBits) - 1);
    long agbno = agino >>> inodesPerBlockLog;
    long index = agino & ((1L << inodesPerBlockLog) - 1);
    if (agno >= agCount || agbno >= agBlocks) {
      throw new MalformedDiskIOException("XFS inode number " + ino + " is out of range");
    }
    long linear = agno * agBlocks + agbno;
    if (linear >= dataBlocks) {
      throw new MalformedDiskIOException(
          "XFS inode number " + ino + " lies past the end of the filesystem");
    }
    return (linear << blockLog) + index * inodeSize;
  }
}
