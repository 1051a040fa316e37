package io.carbon.computeimage.adapter.convert.qcow2;

import java.io.IOException;

/**
 * A qcow2 image that cannot be read: either malformed ({@link #unsupported()} false) or using a
 * feature this reader deliberately refuses (backing file, encryption, external data file).
 * Messages name the file and the field.
 *
 * @since 0.1
 */
public final class Qcow2Exception extends IOException {
  private static final long serialVersionUID = 1L;
  private final boolean unsupported;

  private Qcow2Exception(String message, boolean unsupported, Throwable cause) {
    super(message, cause);
    this.unsupported = unsupported;
  }

  /**
   * A malformed image.
   *
   * @param file the image name
   * @param what the field and the problem
   * @return the exception
   */
  public static Qcow2Exception malformed(String file, String what) {
    return new Qcow2Exception("malformed qcow2 image " + file + ": " + what, false, null);
  }

  /**
   * A malformed image, with a cause.
   *
   * @param file the image name
   * @param what the field and the problem
   * @param cause the cause
   * @return the exception
   */
  public static Qcow2Exception malformed(String file, String what, Throwable cause) {
    return new Qcow2Exception("malformed qcow2 image " + file + ": " + what, false, cause);
  }

  /**
   * An unsupported feature.
   *
   * @param file the image name
   * @param what the feature
   * @return the exception
   */
  public static Qcow2Exception unsupported(String file, String what) {
    return new Qcow2Exception("unsupported qcow2 image " + file + ": " + what, true, null);
  }

  /** @return true for a refused feature, false for a malformed image */
  public boolean unsupported() {
    return unsupported;
  }
}
