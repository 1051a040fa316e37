package io.carbon.computeimage.testkit.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link HttpTransport} must have, checked against a real loopback server:
 * bodies and headers, 4xx as results, retries on 5xx, 429 (Retry-After honoured and capped),
 * resets and stalls, the body limit, and redirects that keep {@code Authorization} on the same
 * origin only.
 */
public abstract class HttpTransportContractTest {
  /** The served tree. */
  @TempDir protected Path root;

  /** The server under {@link #root}. */
  protected TestHttpServer server;

  /** The served file {@code /index.json}, 200 000 bytes. */
  protected byte[] content;

  /**
   * Creates the transport under test.
   *
   * @param settings the settings to use
   * @return a new transport
   */
  protected abstract HttpTransport newTransport(TransferSettings settings);

  /** Starts the server. @throws IOException when the fixture cannot be written */
  @BeforeEach
  protected void startServer() throws IOException {
    content = TransferFixtures.content(200_000, 42);
    Files.write(root.resolve("index.json"), content);
    server = TestHttpServer.serving(root);
  }

  /** Stops the server. */
  @AfterEach
  protected void stopServer() {
    server.close();
  }

  private HttpResult get(HttpTransport t, String path) throws Exception {
    return t.send(HttpRequest.get(server.uri(path)));
  }

  @Test
  void send_file_returnsBodyAndLowerCaseHeaders() throws Exception {
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/index.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    assertThat(r.header("Content-Length")).hasValue("200000");
    assertThat(r.headers()).containsKey("etag");
    assertThat(r.finalUri()).isEqualTo(server.uri("/index.json"));
    assertThat(server.requests("/index.json"))
        .singleElement()
        .satisfies(q -> assertThat(q.header("User-Agent")).hasValue("compute-image-test"));
  }

  @Test
  void send_head_returnsEmptyBody() throws Exception {
    HttpResult r =
        newTransport(TransferFixtures.fastSettings())
            .send(new HttpRequest("HEAD", server.uri("/index.json"), Map.of(), 1 << 20));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(server.requests()).singleElement().satisfies(q -> assertThat(q.method()).isEqualTo("HEAD"));
  }

  @Test
  void send_notFound_returnsStatusWithoutRetrying() throws Exception {
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/missing");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.isSuccess()).isFalse();
    assertThat(server.requests("/missing")).hasSize(1);
  }

  @Test
  void send_serverErrorTwice_retriesAndSucceeds() throws Exception {
    server.fault("/index.json", Fault.status(500), 2);
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/index.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    assertThat(server.requests("/index.json")).hasSize(3);
  }

  @Test
  void send_serverErrorEveryTime_throwsNamingUrlAndStatus() {
    server.fault("/index.json", Fault.status(503), TestHttpServer.ALWAYS);
    HttpTransport t = newTransport(TransferFixtures.fastSettings(3));
    assertThatThrownBy(() -> get(t, "/index.json"))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(server.uri("/index.json").toString())
        .hasMessageContaining("503");
    assertThat(server.requests("/index.json")).hasSize(3);
  }

  @Test
  void send_tooManyRequests_waitsForRetryAfter() throws Exception {
    server.fault("/index.json", Fault.tooManyRequests(1));
    long t0 = System.nanoTime();
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/index.json");
    long elapsed = System.nanoTime() - t0;
    assertThat(r.status()).isEqualTo(200);
    assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
    assertThat(server.requests("/index.json")).hasSize(2);
  }

  @Test
  void send_retryAfterBeyondMaxBackoff_waitsOnlyMaxBackoff() throws Exception {
    server.fault("/index.json", Fault.tooManyRequests(3600));
    long t0 = System.nanoTime();
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/index.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(20).toNanos());
  }

  @Test
  void send_resetMidBody_retriesAndReturnsWholeBody() throws Exception {
    server.fault("/index.json", Fault.resetAfter(1000));
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/index.json");
    assertThat(r.body()).isEqualTo(content);
    assertThat(server.requests("/index.json")).hasSize(2);
  }

  @Test
  void send_stalledBody_timesOutAndRetries() throws Exception {
    server.fault("/index.json", Fault.stallAfter(1000, Duration.ofSeconds(30)));
    long t0 = System.nanoTime();
    HttpResult r = get(newTransport(TransferFixtures.fastSettings()), "/index.json");
    assertThat(r.body()).isEqualTo(content);
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(15).toNanos());
    assertThat(server.requests("/index.json")).hasSize(2);
  }

  @Test
  void send_bodyOverLimit_throws() {
    HttpTransport t = newTransport(TransferFixtures.fastSettings());
    assertThatThrownBy(
            () -> t.send(new HttpRequest("GET", server.uri("/index.json"), Map.of(), 1000)))
        .isInstanceOfSatisfying(
            io.carbon.computeimage.ports.error.BodyTooLargeException.class, // callers map it (manifests: malformed)
            e -> assertThat(e.limit()).isEqualTo(1000))
        .hasMessageContaining(server.uri("/index.json").toString())
        .hasMessageContaining("1000");
  }

  @Test
  void send_redirectToSameOrigin_keepsAuthorization() throws Exception {
    server.fault("/old.json", Fault.redirect(URI.create("/index.json")));
    HttpResult r =
        newTransport(TransferFixtures.fastSettings())
            .send(
                new HttpRequest(
                    "GET", server.uri("/old.json"), Map.of("Authorization", "Bearer SECRET"), 1 << 20));
    assertThat(r.body()).isEqualTo(content);
    assertThat(r.finalUri()).isEqualTo(server.uri("/index.json"));
    assertThat(server.requests("/index.json"))
        .singleElement()
        .satisfies(q -> assertThat(q.header("Authorization")).hasValue("Bearer SECRET"));
  }

  @Test
  void send_redirectToOtherOrigin_dropsAuthorization() throws Exception {
    try (TestHttpServer cdn = TestHttpServer.serving(root)) {
      server.fault("/index.json", Fault.redirect(cdn.uri("/index.json")));
      HttpResult r =
          newTransport(TransferFixtures.fastSettings())
              .send(
                  new HttpRequest(
                      "GET",
                      server.uri("/index.json"),
                      Map.of("Authorization", "Bearer SECRET"),
                      1 << 20));
      assertThat(r.body()).isEqualTo(content);
      assertThat(r.finalUri()).isEqualTo(cdn.uri("/index.json"));
      assertThat(server.requests("/index.json").get(0).header("Authorization"))
          .hasValue("Bearer SECRET");
      assertThat(cdn.requests("/index.json"))
          .singleElement()
          .satisfies(q -> assertThat(q.header("Authorization")).isEmpty());
    }
  }

  @Test
  void send_redirectLoop_throwsAfterTenRedirects() {
    server.fault("/loop", Fault.redirect(URI.create("/loop")), TestHttpServer.ALWAYS);
    HttpTransport t = newTransport(TransferFixtures.fastSettings(1));
    assertThatThrownBy(() -> get(t, "/loop"))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(server.uri("/loop").toString())
        .hasMessageContaining("redirect");
    assertThat(server.requests("/loop")).hasSize(11);
  }

  @Test
  void send_connectionRefused_throwsNamingUrl() {
    URI dead;
    try (TestHttpServer gone = TestHttpServer.start()) {
      dead = gone.uri("/x");
    }
    HttpTransport t = newTransport(TransferFixtures.fastSettings(2));
    assertThatThrownBy(() -> t.send(HttpRequest.get(dead)))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(dead.toString());
  }
}
