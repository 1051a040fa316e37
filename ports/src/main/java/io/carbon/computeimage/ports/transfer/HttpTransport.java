package io.carbon.computeimage.ports.transfer;

import io.carbon.computeimage.ports.error.ComputeImageException;

/**
 * Sends small HTTP requests (indexes, checksum files, manifests, tokens) and reads the whole body.
 *
 * <p>Implementations follow redirects themselves and never send an {@code Authorization} header
 * to an origin other than the request's. They retry connection failures, 5xx and 429 (honouring
 * {@code Retry-After}) per the {@link TransferSettings}. Any other status, 4xx included, is
 * returned to the caller as a result, not thrown. Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface HttpTransport {
  /**
   * Sends the request.
   *
   * @param request the request, must not be {@code null}
   * @return the final response
   * @throws ComputeImageException {@code TransferException} when retries are exhausted; {@code
   *     BodyTooLargeException} (a {@code TransferException}) when the body is larger than {@link
   *     HttpRequest#maxBodyBytes()}; {@code CancelledException} when the calling thread is interrupted or the
   *     transport's cancellation (see {@link TransferProvider}) is set
   */
  HttpResult send(HttpRequest request) throws ComputeImageException;
}
