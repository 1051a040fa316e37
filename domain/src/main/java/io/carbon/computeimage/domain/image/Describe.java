package io.carbon.computeimage.domain.image;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns an {@link IOException} into a short human cause ("permission denied", "not a directory:
 * /x"), without Java class names.
 *
 * @since 0.1
 */
public final class Describe {
  private Describe() {}

  /**
   * @param e the exception
   * @return a one-line cause naming the file the exception is about, when it names one
   */
  public static String cause(IOException e) {
    String file = e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() : null;
    String what;
    if (e instanceof NoSuchFileException) {
      what = "no such file or directory";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof NotDirectoryException) {
      what = "not a directory";
    } else if (e instanceof FileAlreadyExistsException) {
      what = "already exists";
    } else if (e instanceof DirectoryNotEmptyException) {
      what = "directory not empty";
    } else if (e instanceof FileSystemException fse) {
      what = fse.getReason() != null ? fse.getReason().toLowerCase(java.util.Locale.ROOT) : "I/O error";
    } else {
      what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
    return file != null ? what + ": " + file : what;
  }
}
