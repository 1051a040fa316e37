package io.carbon.computeimage.adapter.convert.kernel;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel choice needs to see of one filesystem; paths are absolute within it.
 * Implementations follow symlinks inside the filesystem.
 */
public interface BootView {
  /**
   * Reads a small text file.
   *
   * @param path the path
   * @return the text, or empty when there is no such file
   * @throws IOException on I/O failure or malformed structures
   */
  Optional<String> readText(String path) throws IOException;

  /**
   * Lists a directory.
   *
   * @param dir the directory path
   * @return the names, empty when there is no such directory
   * @throws IOException on I/O failure or malformed structures
   */
  List<String> list(String dir) throws IOException;

  /**
   * Reads the target of a symlink (the last component is not followed).
   *
   * @param path the path
   * @return the target, or empty when the path is not a symlink
   * @throws IOException on I/O failure or malformed structures
   */
  Optional<String> readLink(String path) throws IOException;

  /**
   * Tells whether a regular file exists at a path (following symlinks).
   *
   * @param path the path
   * @return true for a regular file
   * @throws IOException on I/O failure or malformed structures
   */
  boolean isFile(String path) throws IOException;
}
