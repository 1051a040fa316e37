package io.carbon.computeimage.ports.error;

/**
 * Thrown when the operation is cancelled or the thread is interrupted.
 *
 * @since 0.1
 */
public class CancelledException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public CancelledException(String message) {
    super(ErrorKind.CANCELLED, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public CancelledException(String message, Throwable cause) {
    super(ErrorKind.CANCELLED, message, cause);
  }
}
