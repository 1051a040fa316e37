package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;

/**
 * An inode in one btrfs subvolume (FS tree).
 *
 * @param tree the subvolume's tree
 * @param ino the inode number in that tree
 * @param mode the POSIX mode
 * @param size the size in bytes
 */
record BtrfsNode(BtrfsSubvolume tree, long ino, int mode, long size) implements FsNode {
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
  public String toString() {
    return "btrfs inode " + ino + " of subvolume " + tree.id();
  }
}
