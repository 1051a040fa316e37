package io.carbon.computeimage.adapter.convert.fs;

/**
 * A node (inode) of a filesystem, as returned by one {@link Filesystem}; only that filesystem
 * interprets it.
 */
public interface FsNode {
  /** @return the node type */
  NodeKind kind();

  /** @return the size in bytes of a file's content or a symlink's target */
  long size();
}
