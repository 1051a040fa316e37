package io.carbon.computeimage.ports.error;

/**
 * Thrown when an image, disk, archive or filesystem is malformed.
 *
 * @since 0.1
 */
public class MalformedImageException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public MalformedImageException(String message) {
    super(ErrorKind.MALFORMED, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public MalformedImageException(String message, Throwable cause) {
    super(ErrorKind.MALFORMED, message, cause);
  }
}
