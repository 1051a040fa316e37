package io.carbon.computeimage.ports.error;

/**
 * Thrown when content would write outside its target directory or otherwise break out.
 *
 * @since 0.1
 */
public class UnsafeContentException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public UnsafeContentException(String message) {
    super(ErrorKind.UNSAFE_CONTENT, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public UnsafeContentException(String message, Throwable cause) {
    super(ErrorKind.UNSAFE_CONTENT, message, cause);
  }
}
