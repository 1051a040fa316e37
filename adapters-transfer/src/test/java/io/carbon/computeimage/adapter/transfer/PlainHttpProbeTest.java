package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The probe that tells a plain HTTP server behind an https URL from anything else. */
final class PlainHttpProbeTest {
  /** Answers every connection with {@code reply} once it has read the request's first line. */
  private static ServerSocket replying(String reply) throws IOException {
    ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      try {
        while (true) {
          try (Socket c = server.accept()) {
            c.getInputStream().read(new byte[256]);
            if (reply != null) {
              OutputStream out = c.getOutputStream();
              out.write(reply.getBytes(StandardCharsets.US_ASCII));
              out.flush();
            }
          }
        }
      } catch (IOException closed) {
        // the test is over
      }
    });
    t.setDaemon(true);
    t.start();
    return server;
  }

  private static URI https(ServerSocket s) {
    return URI.create("https://127.0.0.1:" + s.getLocalPort() + "/x");
  }

  @Test
  void httpStatusLine_isPlainHttp() throws Exception {
    try (ServerSocket s = replying("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")) {
      assertThat(PlainHttpProbe.answersPlainHttp(https(s), Duration.ofSeconds(2))).isTrue();
    }
    try (ServerSocket s = replying("HTTP/1.0 200 OK\r\n\r\n")) {
      assertThat(PlainHttpProbe.answersPlainHttp(https(s), Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void status400_isWhatATlsServerSaysToPlainHttp_notPlainHttp() throws Exception {
    // nginx on its TLS port: "400 The plain HTTP request was sent to HTTPS port"
    try (ServerSocket s = replying("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
      assertThat(PlainHttpProbe.answersPlainHttp(https(s), Duration.ofSeconds(2))).isFalse();
    }
  }

  @Test
  void otherProtocolsSilenceAndClosedPorts_notPlainHttp() throws Exception {
    try (ServerSocket s = replying("SSH-2.0-OpenSSH_9.2\r\n")) {
      assertThat(PlainHttpProbe.answersPlainHttp(https(s), Duration.ofSeconds(2))).isFalse();
    }
    try (ServerSocket s = replying(null)) {
      assertThat(PlainHttpProbe.answersPlainHttp(https(s), Duration.ofMillis(300))).isFalse();
    }
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    assertThat(PlainHttpProbe.answersPlainHttp(URI.create("https://127.0.0.1:" + closedPort + "/"),
        Duration.ofSeconds(1))).isFalse();
  }
}
