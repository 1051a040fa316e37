package io.carbon.computeimage.adapter.convert.block;

import java.io.IOException;

/**
 * An {@link IOException} that signals malformed on-disk structures (as opposed to an I/O failure);
 * adapters translate it to {@code MalformedImageException} at the port boundary.
 */
public class MalformedDiskIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is malformed and where
   */
  public MalformedDiskIOException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is malformed and where
   * @param cause the cause
   */
  public MalformedDiskIOException(String message, Throwable cause) {
    super(message, cause);
  }
}
