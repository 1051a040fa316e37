package io.carbon.computeimage.ports.error;

/**
 * Thrown when a distro, version, architecture, repository, tag or platform does not exist.
 *
 * @since 0.1
 */
public class NotFoundException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public NotFoundException(String message) {
    super(ErrorKind.NOT_FOUND, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public NotFoundException(String message, Throwable cause) {
    super(ErrorKind.NOT_FOUND, message, cause);
  }
}
