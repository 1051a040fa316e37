package io.carbon.computeimage.ports.transfer;

import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
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
   * Creates an HTTP transport that tells {@code notes} when it retries a request (which request,
   * after what failure, in how long), so that a user waiting on an unreachable server is told why.
   * The default ignores {@code notes}.
   *
   * @param settings timeouts, retries and user agent
   * @param notes receives {@link ProgressListener#note} lines about retries
   * @return a thread-safe transport
   */
  default HttpTransport httpTransport(TransferSettings settings, ProgressListener notes) {
    return httpTransport(settings);
  }

  /**
   * Creates an HTTP transport whose requests stop with a {@code CancelledException} once {@code
   * cancellation} says so: while waiting for a server's answer, reading its body, or waiting to
   * retry, not only when the request ends. The default ignores {@code cancellation} (its requests
   * still end at their timeouts).
   *
   * @param settings timeouts, retries and user agent
   * @param notes receives {@link ProgressListener#note} lines about retries
   * @param cancellation polled while a request waits
   * @return a thread-safe transport
   */
  default HttpTransport httpTransport(
      TransferSettings settings, ProgressListener notes, Cancellation cancellation) {
    return httpTransport(settings, notes);
  }

  /**
   * Creates a downloader.
   *
   * @param settings timeouts, retries and user agent
   * @return a thread-safe downloader
   */
  Downloader downloader(TransferSettings settings);
}
