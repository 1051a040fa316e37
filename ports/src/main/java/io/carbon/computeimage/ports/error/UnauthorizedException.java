package io.carbon.computeimage.ports.error;

/**
 * Thrown when a registry or mirror refuses the credentials.
 *
 * @since 0.1
 */
public class UnauthorizedException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public UnauthorizedException(String message) {
    super(ErrorKind.UNAUTHORIZED, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public UnauthorizedException(String message, Throwable cause) {
    super(ErrorKind.UNAUTHORIZED, message, cause);
  }
}
