package io.carbon.computeimage.adapter.convert.fs.fat;

import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;

/** A FAT directory entry: first cluster (0 for the FAT12/16 root), size, and directory flag. */
record FatNode(long cluster, long size, boolean directory) implements FsNode {
  @Override
  public NodeKind kind() {
    return directory ? NodeKind.DIRECTORY : NodeKind.FILE;
  }
}
