package io.carbon.computeimage.adapter.convert.fs;

import java.io.IOException;

/** A filesystem (or a feature of one) that is recognized but cannot be read. */
public class UnsupportedFilesystemIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is not supported, and where
   */
  public UnsupportedFilesystemIOException(String message) {
    super(message);
  }
}
