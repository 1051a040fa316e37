package io.carbon.computeimage.testkit.http;

/**
 * Computes a response from a request, for registry-like test endpoints (authentication
 * challenges, token endpoints) served by {@link TestHttpServer}.
 */
@FunctionalInterface
public interface Responder {
  /**
   * Answers a request.
   *
   * @param request the received request
   * @return the response to send, never {@code null}
   */
  StubResponse respond(RecordedRequest request);
}
