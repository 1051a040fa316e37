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

  /** Settings whose timeouts are far longer than any cancellation test waits. */
  private static TransferSettings patient() {
    return new TransferSettings(
        Duration.ofSeconds(60), Duration.ofSeconds(60), 4, Duration.ofSeconds(30), Duration.ofSeconds(60), "t");
  }

  /** A cancellation set {@code millis} after it is made. */
  private static io.carbon.computeimage.ports.progress.Cancellation after(long millis) {
    long t0 = System.nanoTime();
    return () -> System.nanoTime() - t0 > millis * 1_000_000L;
  }

  @Test
  void send_cancelledWhileTheServerDoesNotAnswer_stopsThenNotAtTheTimeout() throws Exception {
    try (io.carbon.computeimage.testkit.http.SilentServer silent =
        io.carbon.computeimage.testkit.http.SilentServer.start()) {
      HttpTransport t = new JdkHttpTransport(patient(), io.carbon.computeimage.ports.progress.ProgressListener.NONE, after(300));
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> t.send(HttpRequest.get(silent.uri("/index.json"))))
          .isInstanceOf(io.carbon.computeimage.ports.error.CancelledException.class)
          .hasMessageContaining("GET " + silent.uri("/index.json"));
      // the stall timeout is 60 s: only the cancellation can have ended it
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      assertThat(silent.connections()).isEqualTo(1);
    }
  }

  @Test
  void send_cancelledWhileWaitingToRetry_stopsThenNotAfterRetryAfter() throws Exception {
    server.fault("/index.json", Fault.tooManyRequests(50));
    HttpTransport t = new JdkHttpTransport(patient(), io.carbon.computeimage.ports.progress.ProgressListener.NONE, after(300));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> t.send(HttpRequest.get(server.uri("/index.json"))))
        .isInstanceOf(io.carbon.computeimage.ports.error.CancelledException.class)
        .hasMessageContaining("cancelled while waiting to retry");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    assertThat(server.requests("/index.json")).hasSize(1);
  }

  @Test
  void send_threadInterruptedWhileTheServerDoesNotAnswer_cancelledInterruptKept() throws Exception {
    try (io.carbon.computeimage.testkit.http.SilentServer silent =
        io.carbon.computeimage.testkit.http.SilentServer.start()) {
      HttpTransport t = new JdkHttpTransport(patient());
      java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
      Thread caller = new Thread(() -> {
        try {
          t.send(HttpRequest.get(silent.uri("/x")));
        } catch (Throwable e) {
          thrown.set(e);
        }
        interrupted.set(Thread.currentThread().isInterrupted());
      });
      caller.start();
      while (silent.connections() == 0) {
        Thread.sleep(10);
      }
      caller.interrupt();
      caller.join(20_000);
      assertThat(caller.isAlive()).isFalse();
      assertThat(thrown.get()).isInstanceOf(io.carbon.computeimage.ports.error.CancelledException.class);
      assertThat(interrupted.get()).isTrue();
    }
  }

  @Test
  void send_httpsToAPlainHttpServer_invalidInputNamingTheHttpOrigin() throws Exception {
    java.net.URI https = java.net.URI.create(server.uri("/index.json").toString().replaceFirst("^http:", "https:"));
    TransferSettings s = new TransferSettings(
        Duration.ofSeconds(1), Duration.ofSeconds(5), 5, Duration.ofMillis(1), Duration.ofMillis(2), "t");
    assertThatThrownBy(() -> new JdkHttpTransport(s).send(HttpRequest.get(https)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("GET " + https)
        .hasMessageContaining("use http:// for it (pull vm: --registry http://127.0.0.1:" + server.port())
        .hasMessageContaining("pull container: --insecure");
    assertThat(server.requests("/index.json")).isEmpty();
    assertThat(server.requests("/")).hasSize(1);
  }

  @Test
  void send_httpsWithAnUntrustedCertificate_reportedAsSuch_notAsPlainHttp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    // a real TLS server with a self-signed certificate; it answers plain requests too (as nginx
    // does on its TLS port, with a 400) so the probe would see an HTTP status line if asked
    java.nio.file.Path ks = tmp.resolve("ks.p12");
    Process keytool = new ProcessBuilder(
            java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "s", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
            "-storepass", "secret", "-keypass", "secret")
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).isZero();
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(ks)) {
      store.load(in, "secret".toCharArray());
    }
    javax.net.ssl.KeyManagerFactory kmf =
        javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "secret".toCharArray());
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    // one port for both: TLS when the first byte is a TLS handshake record, else plain HTTP 200
    try (java.net.ServerSocket both = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try {
          while (true) {
            java.net.Socket c = both.accept();
            Thread serve = new Thread(() -> serveTlsOrPlain(c, ctx));
            serve.setDaemon(true);
            serve.start();
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      t.setDaemon(true);
      t.start();
      java.net.URI https = java.net.URI.create("https://127.0.0.1:" + both.getLocalPort() + "/index.json");
      assertThat(PlainHttpProbe.answersPlainHttp(https, Duration.ofSeconds(2)))
          .as("the server answers a plain request like a plain HTTP server").isTrue();
      TransferSettings s = new TransferSettings(
          Duration.ofSeconds(2), Duration.ofSeconds(5), 2, Duration.ofMillis(1), Duration.ofMillis(2), "t");
      assertThatThrownBy(() -> new JdkHttpTransport(s).send(HttpRequest.get(https)))
          .isNotInstanceOf(InvalidReferenceException.class)
          .hasMessageContaining("GET " + https)
          .hasMessageContaining("PKIX");
    }
  }

  private static void serveTlsOrPlain(java.net.Socket c, javax.net.ssl.SSLContext ctx) {
    try (c) {
      java.io.InputStream in = c.getInputStream();
      int first = in.read();
      if (first == 0x16) {
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(
            c, new java.io.ByteArrayInputStream(new byte[] {0x16}), true);
        tls.setUseClientMode(false);
        try (tls) {
          tls.startHandshake(); // fails: the client does not trust the certificate
        }
      } else {
        c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
    } catch (java.io.IOException e) {
      // the client went away or refused the certificate
    }
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
