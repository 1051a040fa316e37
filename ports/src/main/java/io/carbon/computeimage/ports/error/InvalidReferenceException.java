package io.carbon.computeimage.ports.error;

/**
 * Thrown when a reference, option or path given by the user is not valid.
 *
 * @since 0.1
 */
public class InvalidReferenceException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public InvalidReferenceException(String message) {
    super(ErrorKind.INVALID_INPUT, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public InvalidReferenceException(String message, Throwable cause) {
    super(ErrorKind.INVALID_INPUT, message, cause);
  }
}
