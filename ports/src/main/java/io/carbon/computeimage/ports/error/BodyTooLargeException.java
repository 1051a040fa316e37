package io.carbon.computeimage.ports.error;

/**
 * Thrown by an {@code HttpTransport} when a response body is larger than the request allows. It
 * is a {@link TransferException} (a network failure) unless the caller knows better: a registry
 * client reports an oversized manifest as a malformed image.
 *
 * @since 0.1
 */
public class BodyTooLargeException extends TransferException {
  private static final long serialVersionUID = 1L;
  private final long limit;

  /**
   * Creates the exception.
   *
   * @param message a message naming the request and the limit
   * @param limit the largest body the request accepted, in bytes
   */
  public BodyTooLargeException(String message, long limit) {
    super(message);
    this.limit = limit;
  }

  /** @return the largest body the request accepted, in bytes */
  public long limit() {
    return limit;
  }
}
