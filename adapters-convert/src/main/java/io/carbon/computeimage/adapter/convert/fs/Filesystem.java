package io.carbon.computeimage.adapter.convert.fs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A read-only filesystem on a block device, at the level of nodes. Path handling and symlinks are
 * done once for all filesystems by {@link FsPaths}.
 *
 * <p>Every number read from disk is bounds-checked: malformed structures throw {@code
 * MalformedDiskIOException}, never an unchecked exception, a hang or an out-of-memory.
 */
public interface Filesystem extends Closeable {
  /** @return the type, for example {@code ext4}, {@code xfs}, {@code btrfs}, {@code vfat} */
  String type();

  /** @return the filesystem UUID as {@code blkid} prints it (FAT: {@code XXXX-XXXX}), or "" */
  String uuid();

  /**
   * Returns the root directory. For btrfs this is the root of the default subvolume.
   *
   * @return the root node
   * @throws IOException on I/O failure or malformed structures
   */
  FsNode root() throws IOException;

  /**
   * Looks a name up in a directory (exact, case-sensitive, except FAT which ignores case).
   *
   * @param dir a directory node
   * @param name one path component
   * @return the child, or empty
   * @throws IOException on I/O failure or malformed structures
   */
  Optional<FsNode> lookup(FsNode dir, String name) throws IOException;

  /**
   * Lists a directory's names, without {@code .} and {@code ..}.
   *
   * @param dir a directory node
   * @return the names
   * @throws IOException on I/O failure or malformed structures
   */
  List<String> list(FsNode dir) throws IOException;

  /**
   * Reads a symlink's target.
   *
   * @param link a symlink node
   * @return the target as stored
   * @throws IOException on I/O failure or malformed structures
   */
  String readLink(FsNode link) throws IOException;

  /**
   * Opens a file's content.
   *
   * @param file a file node
   * @return a stream of exactly {@code file.size()} bytes (holes read as zeros)
   * @throws IOException on I/O failure or malformed structures
   */
  InputStream open(FsNode file) throws IOException;
}
