package io.carbon.computeimage.ports.transfer;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A small HTTP request whose whole response body is read into memory.
 *
 * @param method {@code GET} or {@code HEAD}
 * @param uri the absolute http or https URI
 * @param headers request headers; an {@code Authorization} header is sent to this URI's origin
 *     only and dropped on a redirect to another origin
 * @param maxBodyBytes the largest body accepted; a larger one fails the request
 * @since 0.1
 */
public record HttpRequest(String method, URI uri, Map<String, String> headers, long maxBodyBytes) {
  /** Validates the components and copies the headers. */
  public HttpRequest {
    Objects.requireNonNull(method, "method is null");
    Objects.requireNonNull(uri, "uri is null");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers is null"));
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException("maxBodyBytes is negative");
    }
  }

  /**
   * A GET with no extra headers and a 16 MiB body limit.
   *
   * @param uri the URI
   * @return the request
   */
  public static HttpRequest get(URI uri) {
    return new HttpRequest("GET", uri, Map.of(), 16L << 20);
  }
}
