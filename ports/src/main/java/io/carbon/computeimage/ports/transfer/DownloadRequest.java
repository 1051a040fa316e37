package io.carbon.computeimage.ports.transfer;

import io.carbon.computeimage.ports.model.Digest;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A file to download and verify.
 *
 * @param uri the absolute http or https URI
 * @param headers request headers (for example {@code Authorization}, sent to this origin only)
 * @param expected the digest the content must have; the download fails when it differs
 * @param expectedSize the size in bytes, or -1 when unknown
 * @since 0.1
 */
public record DownloadRequest(
    URI uri, Map<String, String> headers, Digest expected, long expectedSize) {
  /** Validates and copies the components. */
  public DownloadRequest {
    Objects.requireNonNull(uri, "uri is null");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers is null"));
    Objects.requireNonNull(expected, "expected is null");
  }

  /**
   * A request without headers or known size.
   *
   * @param uri the URI
   * @param expected the expected digest
   * @return the request
   */
  public static DownloadRequest of(URI uri, Digest expected) {
    return new DownloadRequest(uri, Map.of(), expected, -1);
  }
}
