package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns an {@link IOException} into a short human cause ("permission denied", "not a directory:
 * /x"), without Java class names. Delegates to {@link LocalStorageException#describe(IOException,
 * Path)}, which the adapters use too, so that every module words causes alike.
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
    return LocalStorageException.describe(e);
  }

  /**
   * @param e the exception
   * @param subject the file the caller's message names already, or {@code null}
   * @return a one-line cause naming the file the exception is about when it is not {@code subject}
   */
  public static String cause(IOException e, Path subject) {
    return LocalStorageException.describe(e, subject);
  }
}
