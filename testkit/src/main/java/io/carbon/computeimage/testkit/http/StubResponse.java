package io.carbon.computeimage.testkit.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * A canned in-memory response served by {@link TestHttpServer} for a path.
 *
 * @param status the HTTP status
 * @param headers response headers (Content-Length is set by the server)
 * @param body the body; ignored for HEAD requests
 */
public record StubResponse(int status, Map<String, String> headers, byte[] body) {

  /** Validates and copies the components. */
  public StubResponse {
    Objects.requireNonNull(headers, "headers is null");
    Objects.requireNonNull(body, "body is null");
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  /**
   * A response with a body and no extra headers.
   *
   * @param status the status
   * @param body the body
   * @return the response
   */
  public static StubResponse of(int status, byte[] body) {
    return new StubResponse(status, Map.of(), body);
  }

  /**
   * A response with a UTF-8 text body.
   *
   * @param status the status
   * @param contentType the Content-Type header
   * @param text the body text
   * @return the response
   */
  public static StubResponse text(int status, String contentType, String text) {
    return new StubResponse(
        status, Map.of("Content-Type", contentType), text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
