package io.carbon.computeimage.ports.error;

/**
 * Thrown when the input uses a feature that is deliberately not supported.
 *
 * @since 0.1
 */
public class UnsupportedFeatureException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public UnsupportedFeatureException(String message) {
    super(ErrorKind.UNSUPPORTED, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public UnsupportedFeatureException(String message, Throwable cause) {
    super(ErrorKind.UNSUPPORTED, message, cause);
  }
}
