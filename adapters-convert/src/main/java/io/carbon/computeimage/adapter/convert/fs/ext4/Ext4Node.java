package io.carbon.computeimage.adapter.convert.fs.ext4;

import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** An ext4 inode: its number and raw bytes. */
final class Ext4Node implements FsNode {
  private final long number;
  private final byte[] raw;
  private final NodeKind kind;
  private final long size;
  private final int flags;

  Ext4Node(long number, byte[] raw) {
    this.number = number;
    this.raw = raw;
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int mode = b.getShort(0) & 0xFFFF;
    switch (mode & 0xF000) {
      case 0x8000:
        kind = NodeKind.FILE;
        break;
      case 0x4000:
        kind = NodeKind.DIRECTORY;
        break;
      case 0xA000:
        kind = NodeKind.SYMLINK;
        break;
      default:
        kind = NodeKind.OTHER;
    }
    long sz = (b.getInt(4) & 0xFFFFFFFFL) | ((long) (b.getInt(0x6C)) << 32);
    size = sz < 0 ? Long.MAX_VALUE : sz;
    flags = b.getInt(0x20);
  }

  long number() {
    return number;
  }

  byte[] raw() {
    return raw;
  }

  int flags() {
    return flags;
  }

  boolean isFastSymlink() {
    if (kind != NodeKind.SYMLINK || size >= 60) {
      return false;
    }
    if ((flags & (Ext4Filesystem.FLAG_EXTENTS | Ext4Filesystem.FLAG_INLINE_DATA)) != 0) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    long blocks = b.getInt(0x1C) & 0xFFFFFFFFL;
    long fileAcl = b.getInt(0x68) & 0xFFFFFFFFL;
    return blocks == 0 || (fileAcl != 0 && blocks <= 8 * 16);
  }

  @Override
  public NodeKind kind() {
    return kind;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public String toString() {
    return "ext4 inode " + number;
  }
}
