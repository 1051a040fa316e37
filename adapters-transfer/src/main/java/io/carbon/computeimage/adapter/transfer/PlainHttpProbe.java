package io.carbon.computeimage.adapter.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Tells whether the server behind an {@code https} URI whose TLS handshake failed or never
 * completed answers plain HTTP on that port (a local mirror or registry given without {@code
 * http://}): it sends a {@code HEAD / HTTP/1.0} request on a fresh connection and looks for an
 * HTTP status line. Such a server never completes a handshake, so retrying is pointless and the
 * user needs the hint instead.
 */
final class PlainHttpProbe {
  private PlainHttpProbe() {}

  /**
   * Probes the host and port of {@code uri}.
   *
   * @param uri an https URI
   * @param timeout the connect and read timeout of the probe
   * @return true when the port answered a plain HTTP request with an HTTP status line other than
   *     400 (the answer of a TLS server to a plain request on its TLS port)
   */
  static boolean answersPlainHttp(URI uri, Duration timeout) {
    String host = uri.getHost();
    if (host == null) {
      return false;
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = uri.getPort() < 0 ? 443 : uri.getPort();
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), millis);
      s.setSoTimeout(millis);
      OutputStream out = s.getOutputStream();
      out.write(("HEAD / HTTP/1.0\r\nHost: " + uri.getRawAuthority() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // "HTTP/1.1 400" is what a TLS server such as nginx answers a plain request on its TLS
      // port with: that one is not taken for a plain HTTP server
      String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return status.matches("HTTP/\\d(\\.\\d)? \\d{3}") && !status.endsWith(" 400");
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      return false;
    }
  }

  /**
   * The URI with {@code http} in place of {@code https}, for the hint.
   *
   * @param uri an https URI
   * @return its origin as plain HTTP ({@code http://host:port})
   */
  static String plainOrigin(URI uri) {
    int port = uri.getPort() < 0 ? 443 : uri.getPort();
    return "http://" + uri.getHost() + ":" + port;
  }
}
