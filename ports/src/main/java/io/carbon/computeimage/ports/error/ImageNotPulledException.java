package io.carbon.computeimage.ports.error;

/**
 * Thrown when an image is asked for that is not present locally.
 *
 * @since 0.1
 */
public class ImageNotPulledException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public ImageNotPulledException(String message) {
    super(ErrorKind.NOT_PULLED, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public ImageNotPulledException(String message, Throwable cause) {
    super(ErrorKind.NOT_PULLED, message, cause);
  }
}
