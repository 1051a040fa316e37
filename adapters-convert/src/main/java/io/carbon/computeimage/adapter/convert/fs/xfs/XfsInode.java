package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import java.util.Arrays;

/** A parsed XFS inode: its type, size and raw data fork. */
final class XfsInode implements FsNode {
  static final int FORMAT_DEV = 0;
  static final int FORMAT_LOCAL = 1;
  static final int FORMAT_EXTENTS = 2;
  static final int FORMAT_BTREE = 3;

  private static final int MAGIC = 0x494e; // "IN"
  private static final long FLAG2_NREXT64 = 1L << 4;

  final long ino;
  final int mode;
  final int format;
  final long size;
  final long dataExtents;
  /** The data fork bytes (its full literal area; for local format the first {@code size}). */
  final byte[] fork;

  private XfsInode(long ino, int mode, int format, long size, long dataExtents, byte[] fork) {
    this.ino = ino;
    this.mode = mode;
    this.format = format;
    this.size = size;
    this.dataExtents = dataExtents;
    this.fork = fork;
  }

  /**
   * Parses an inode.
   *
   * @param sb the superblock
   * @param ino the inode number it was read for
   * @param b the inode's bytes (inode size)
   * @return the inode
   * @throws MalformedDiskIOException when a field is invalid
   */
  static XfsInode parse(XfsSuperblock sb, long ino, byte[] b) throws MalformedDiskIOException {
    String w = "inode " + ino;
    if (Be.u16(b, 0, w) != MAGIC) {
      throw new MalformedDiskIOException("XFS inode " + ino + " has no IN magic");
    }
    int mode = Be.u16(b, 2, w);
    int version = Be.u8(b, 4, w);
    int format = Be.u8(b, 5, w);
    int coreSize;
    if (version == 3) {
      if (sb.version() != 5) {
        throw new MalformedDiskIOException("XFS inode " + ino + " is v3 on a v4 filesystem");
      }
      coreSize = 176;
      long storedIno = Be.u64(b, 152, w);
      if (storedIno != ino) {
        throw new MalformedDiskIOException(
            "XFS inode " + ino + " claims to be inode " + storedIno);
      }
    } else if (version == 1 || version == 2) {
      if (sb.version() == 5) {
        throw new MalformedDiskIOException("XFS inode " + ino + " is v" + version + " on a v5 filesystem");
      }
      coreSize = 100;
    } else {
      throw new MalformedDiskIOException("XFS inode " + ino + " has unknown version " + version);
    }
    long size = Be.u64(b, 56, w);
    if (size < 0) {
      throw new MalformedDiskIOException("XFS inode " + ino + " has negative size");
    }
    long flags2 = version == 3 ? Be.u64(b, 120, w) : 0;
    long extents;
    if ((flags2 & FLAG2_NREXT64) != 0) {
      if (!sb.hasNrext64()) {
        throw new MalformedDiskIOException(
            "XFS inode " + ino + " uses large extent counts on a filesystem without nrext64");
      }
      extents = Be.u64(b, 24, w);
    } else {
      extents = Be.u32(b, 76, w);
    }
    int forkOff = Be.u8(b, 82, w);
    int forkSize = forkOff == 0 ? b.length - coreSize : forkOff * 8;
    if (forkSize <= 0 || coreSize + forkSize > b.length) {
      throw new MalformedDiskIOException("XFS inode " + ino + " has attribute fork offset " + forkOff);
    }
    byte[] fork = Arrays.copyOfRange(b, coreSize, coreSize + forkSize);
    XfsInode inode = new XfsInode(ino, mode, format, size, extents, fork);
    NodeKind kind = inode.kind();
    if ((kind == NodeKind.FILE || kind == NodeKind.DIRECTORY || kind == NodeKind.SYMLINK)
        && format != FORMAT_LOCAL && format != FORMAT_EXTENTS && format != FORMAT_BTREE) {
      throw new MalformedDiskIOException(
          "XFS inode " + ino + " has data fork format " + format + " for a " + kind);
    }
    if (format == FORMAT_LOCAL && size > forkSize) {
      throw new MalformedDiskIOException(
          "XFS inode " + ino + " has " + size + " bytes of local data in a " + forkSize + "-byte fork");
    }
    if (format == FORMAT_EXTENTS && extents > forkSize / XfsExtent.SIZE) {
      throw new MalformedDiskIOException(
          "XFS inode " + ino + " has " + extents + " extents in a " + forkSize + "-byte fork");
    }
    return inode;
  }

  @Override
  public NodeKind kind() {
    switch (mode & 0xf000) {
      case 0x8000:
        return NodeKind.FILE;
      case 0x4000:
        return NodeKind.DIRECTORY;
      case 0xa000:
        return NodeKind.SYMLINK;
      default:
        return NodeKind.OTHER;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public String toString() {
    return "XFS inode " + ino;
  }
}
