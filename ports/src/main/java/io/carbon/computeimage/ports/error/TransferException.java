package io.carbon.computeimage.ports.error;

/**
 * Thrown when a download or HTTP request fails after its retries.
 *
 * @since 0.1
 */
public class TransferException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public TransferException(String message) {
    super(ErrorKind.NETWORK, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public TransferException(String message, Throwable cause) {
    super(ErrorKind.NETWORK, message, cause);
  }
}
