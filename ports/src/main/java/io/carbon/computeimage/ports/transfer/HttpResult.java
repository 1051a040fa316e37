package io.carbon.computeimage.ports.transfer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The response to an {@link HttpRequest}, after redirects.
 *
 * @param status the final HTTP status
 * @param headers response headers, names in lower case
 * @param body the whole body (empty for HEAD)
 * @param finalUri the URI that answered, after redirects
 * @since 0.1
 */
public record HttpResult(int status, Map<String, List<String>> headers, byte[] body, URI finalUri) {
  /** Validates and copies the components. */
  public HttpResult {
    Objects.requireNonNull(headers, "headers is null");
    Objects.requireNonNull(body, "body is null");
    Objects.requireNonNull(finalUri, "finalUri is null");
    headers = Map.copyOf(headers);
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the header name, any case
   * @return the value, or empty
   */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** @return the body decoded as UTF-8 */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** @return true for a 2xx status */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
