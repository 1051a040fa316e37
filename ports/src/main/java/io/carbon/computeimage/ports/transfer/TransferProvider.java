package io.carbon.computeimage.ports.transfer;

import io.carbon.computeimage.ports.spi.Capability;

/**
 * Creates the transfer services (HTTP requests and downloads) for given settings.
 *
 * @since 0.1
 */
public interface TransferProvider extends Capability {
  /**
   * Creates an HTTP transport.
   *
   * @param settings timeouts, retries and user agent
   * @return a thread-safe transport
   */
  HttpTransport httpTransport(TransferSettings settings);

  /**
   * Creates a downloader.
   *
   * @param settings timeouts, retries and user agent
   * @return a thread-safe downloader
   */
  Downloader downloader(TransferSettings settings);
}
