package io.carbon.computeimage.testkit.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as the {@link TestHttpServer} received it, for assertions.
 *
 * @param method the HTTP method, for example {@code GET}
 * @param path the decoded path, without the query, for example {@code /debian/disk.qcow2}
 * @param query the raw query without {@code ?}, empty when none
 * @param headers request headers, names in lower case
 */
public record RecordedRequest(
    String method, String path, String query, Map<String, List<String>> headers) {

  /** Validates and copies the components. */
  public RecordedRequest {
    Objects.requireNonNull(method, "method is null");
    Objects.requireNonNull(path, "path is null");
    Objects.requireNonNull(query, "query is null");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers is null"));
  }

  /**
   * Returns the first value of a request header.
   *
   * @param name the header name, any case
   * @return the value, or empty when absent
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** @return the {@code Range} header, or empty */
  public Optional<String> range() {
    return header("Range");
  }

  /** @return true for a GET without a {@code Range} header (a full download) */
  public boolean isFullGet() {
    return method.equals("GET") && range().isEmpty();
  }

  /** @return true for a GET with a {@code Range} header (a resume) */
  public boolean isRangeGet() {
    return method.equals("GET") && range().isPresent();
  }
}
