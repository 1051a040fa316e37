package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.transfer.HttpTransportContractTest;
import io.carbon.computeimage.testkit.transfer.TransferFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JdkHttpTransportTest extends HttpTransportContractTest {
  @Override
  protected HttpTransport newTransport(TransferSettings settings) {
    return new JdkHttpTransport(settings);
  }

  @Test
  void send_httpsToAPlainHttpServer_invalidInputNamingTheHttpOrigin() throws Exception {
    java.net.URI https = java.net.URI.create(server.uri("/index.json").toString().replaceFirst("^http:", "https:"));
    TransferSettings s = new TransferSettings(
        Duration.ofSeconds(1), Duration.ofSeconds(5), 5, Duration.ofMillis(1), Duration.ofMillis(2), "t");
    assertThatThrownBy(() -> new JdkHttpTransport(s).send(HttpRequest.get(https)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("GET " + https)
        .hasMessageContaining("give it as http://127.0.0.1:" + server.port());
    assertThat(server.requests("/index.json")).isEmpty();
    assertThat(server.requests("/")).hasSize(1);
  }

  @Test
  void send_httpsToASilentPeer_stillRetriedAsATimeout() throws Exception {
    // accepts connections and never answers: not plain HTTP either, so a network failure
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      TransferSettings s = new TransferSettings(
          Duration.ofSeconds(1), Duration.ofSeconds(5), 2, Duration.ofMillis(1), Duration.ofMillis(2), "t");
      java.net.URI https = java.net.URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/index.json");
      assertThatThrownBy(() -> new JdkHttpTransport(s).send(HttpRequest.get(https)))
          .isInstanceOf(TransferException.class)
          .hasMessageContaining("failed after 2 attempts")
          .hasMessageContaining("connect timed out");
      for (java.net.Socket c : held) {
        c.close();
      }
    }
  }

  @Test
  void send_retryAfterHttpDate_sleepsUntilThatDate() throws Exception {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(7), ZoneOffset.UTC));
    server.fault("/index.json", Fault.status(429, Map.of("Retry-After", date)));
    List<Duration> sleeps = new ArrayList<>();
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofSeconds(30), "t");
    HttpResult r =
        new JdkHttpTransport(s, sleeps::add, Clock.fixed(now, ZoneOffset.UTC))
            .send(HttpRequest.get(server.uri("/index.json")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void send_retryAfterSecondsAboveMax_sleepsMaxBackoff() throws Exception {
    server.fault("/index.json", Fault.tooManyRequests(120));
    List<Duration> sleeps = new ArrayList<>();
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofSeconds(30), "t");
    new JdkHttpTransport(s, sleeps::add, Clock.systemUTC()).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(sleeps).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void send_serverErrors_backOffExponentiallyWithinJitter() throws Exception {
    server.fault("/index.json", Fault.status(502), 3);
    List<Duration> sleeps = new ArrayList<>();
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 4, Duration.ofMillis(100), Duration.ofMillis(300), "t");
    new JdkHttpTransport(s, sleeps::add, Clock.systemUTC()).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
  }

  @Test
  void send_retries_eachNotedWithRequestFailureAndDelay() throws Exception {
    server.fault("/index.json", Fault.status(503), 2);
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.carbon.computeimage.ports.progress.ProgressListener l = noting(notes);
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 4, Duration.ofMillis(1), Duration.ofMillis(2), "t");
    HttpResult r =
        new JdkHttpTransport(s, d -> { }, Clock.systemUTC(), l)
            .send(HttpRequest.get(server.uri("/index.json")));
    assertThat(r.status()).isEqualTo(200);
    // a user waiting on a failing server sees why, instead of seconds of silence
    assertThat(notes).hasSize(2)
        .allMatch(n -> n.startsWith("retrying GET " + server.uri("/index.json")) && n.contains("HTTP 503"));
  }

  @Test
  void provider_passesTheListenerToTheTransport() throws Exception {
    server.fault("/index.json", Fault.status(503), 1);
    List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.carbon.computeimage.ports.progress.ProgressListener l = noting(notes);
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofMillis(2), "t");
    new JdkTransferProvider().httpTransport(s, l).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(notes).singleElement().asString().contains("HTTP 503");
  }

  /** A listener that collects its notes. */
  private static io.carbon.computeimage.ports.progress.ProgressListener noting(List<String> notes) {
    return new io.carbon.computeimage.ports.progress.ProgressListener() {
      @Override
      public void note(String message) {
        notes.add(message);
      }
    };
  }

  @Test
  void send_fastSettings_usesGivenUserAgent() throws Exception {
    newTransport(TransferFixtures.fastSettings()).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(server.requests().get(0).header("User-Agent")).hasValue("compute-image-test");
  }
}
