package io.carbon.computeimage.adapter.convert.fs;

/** The type of a filesystem node. */
public enum NodeKind {
  /** A regular file. */
  FILE,
  /** A directory. */
  DIRECTORY,
  /** A symbolic link. */
  SYMLINK,
  /** Anything else (device, fifo, socket). */
  OTHER
}
