package io.carbon.computeimage.adapter.overlay.tar;

/** The kinds of tar entry the layer unpacker acts on. */
public enum TarType {
  /** A regular file (also contiguous and GNU sparse files). */
  FILE,
  /** A directory. */
  DIRECTORY,
  /** A symbolic link. */
  SYMLINK,
  /** A hard link to an earlier entry. */
  HARDLINK,
  /** A character device. */
  CHAR_DEVICE,
  /** A block device. */
  BLOCK_DEVICE,
  /** A FIFO. */
  FIFO
}
