package io.carbon.computeimage.ports.error;

/**
 * Thrown when a local file-system operation fails.
 *
 * @since 0.1
 */
public class LocalStorageException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public LocalStorageException(String message) {
    super(ErrorKind.LOCAL_IO, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public LocalStorageException(String message, Throwable cause) {
    super(ErrorKind.LOCAL_IO, message, cause);
  }
}
