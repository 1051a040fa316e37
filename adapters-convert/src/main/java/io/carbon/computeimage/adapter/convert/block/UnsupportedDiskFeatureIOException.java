package io.carbon.computeimage.adapter.convert.block;

import java.io.IOException;

/**
 * An {@link IOException} for a disk image using a feature deliberately not supported (a qcow2
 * backing file, encryption, an external data file); adapters translate it to {@code
 * UnsupportedFeatureException} at the port boundary.
 *
 * @since 0.1
 */
public class UnsupportedDiskFeatureIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the image and the feature
   * @param cause the cause
   */
  public UnsupportedDiskFeatureIOException(String message, Throwable cause) {
    super(message, cause);
  }
}
