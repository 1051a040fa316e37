package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends one request and follows redirects by hand (at most {@value #MAX_REDIRECTS}), sending
 * credentials ({@code Authorization}, {@code Cookie}) only to the origin of the first URI. The JDK
 * 17 client's own redirect handling would forward a caller-set {@code Authorization} header to any
 * origin.
 */
final class HttpExchanger {
  static final int MAX_REDIRECTS = 10;
  /** How long the plain-HTTP probe after a failed TLS handshake may take (connect, then read). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "user-agent");

  private final HttpClient client;
  private final TransferSettings settings;

  HttpExchanger(HttpClient client, TransferSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /** Builds the client every exchanger of these settings uses. */
  static HttpClient newClient(TransferSettings settings) {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(settings.connectTimeout())
        .build();
  }

  /** A response whose body has not been read yet. */
  static final class Exchange implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final URI finalUri;

    Exchange(HttpResponse<InputStream> response, URI finalUri) {
      this.response = response;
      this.finalUri = finalUri;
    }

    int status() {
      return response.statusCode();
    }

    HttpResponse<InputStream> response() {
      return response;
    }

    InputStream body() {
      return response.body();
    }

    URI finalUri() {
      return finalUri;
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    @Override
    public void close() {
      try {
        response.body().close();
      } catch (IOException ignored) {
        // nothing left to release
      }
    }
  }

  /**
   * Sends {@code method uri} and follows redirects.
   *
   * @param method GET or HEAD
   * @param uri the first URI
   * @param headers the caller's headers (credentials go to {@code uri}'s origin only)
   * @param extra headers sent to every hop (Range, If-Range)
   * @return the first non-redirect response, body unread
   * @throws IOException on a connection failure or timeout waiting for the headers
   * @throws TransferException on too many redirects or an unusable Location
   * @throws InvalidReferenceException when an https URI's server answers plain HTTP
   * @throws CancelledException when the thread is interrupted or {@code cancellation} is set
   *     while waiting for a response
   */
  Exchange open(String method, URI uri, Map<String, String> headers, Map<String, String> extra)
      throws IOException, TransferException, InvalidReferenceException, CancelledException {
    return open(method, uri, headers, extra, Cancellation.NONE);
  }

  /**
   * As {@link #open(String, URI, Map, Map)}, polling {@code cancellation} while the server has not
   * answered yet (a server that accepts and never answers holds a request until its timeout).
   *
   * @param method GET or HEAD
   * @param uri the first URI
   * @param headers the caller's headers (credentials go to {@code uri}'s origin only)
   * @param extra headers sent to every hop (Range, If-Range)
   * @param cancellation polled every {@value #POLL_MILLIS} ms while waiting
   * @return the first non-redirect response, body unread
   * @throws IOException on a connection failure or timeout waiting for the headers
   * @throws TransferException on too many redirects or an unusable Location
   * @throws InvalidReferenceException when an https URI's server answers plain HTTP
   * @throws CancelledException when the thread is interrupted or {@code cancellation} is set
   */
  Exchange open(
      String method, URI uri, Map<String, String> headers, Map<String, String> extra,
      Cancellation cancellation)
      throws IOException, TransferException, InvalidReferenceException, CancelledException {
    URI current = uri;
    for (int hop = 0; ; hop++) {
      boolean sameOrigin = Origins.same(uri, current);
      HttpRequest.Builder b =
          HttpRequest.newBuilder(current)
              .timeout(settings.stallTimeout())
              .header("User-Agent", settings.userAgent());
      if ("http".equalsIgnoreCase(current.getScheme())) {
        b.version(HttpClient.Version.HTTP_1_1);
      }
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.putAll(extra);
      for (Map.Entry<String, String> h : all.entrySet()) {
        String name = h.getKey().toLowerCase(Locale.ROOT);
        if (RESTRICTED.contains(name) || (!sameOrigin && CREDENTIALS.contains(name))) {
          continue;
        }
        b.header(h.getKey(), h.getValue());
      }
      if ("HEAD".equals(method)) {
        b.method("HEAD", HttpRequest.BodyPublishers.noBody());
      } else {
        b.GET();
      }
      HttpResponse<InputStream> response;
      try {
        response = await(
            client.sendAsync(b.build(), BodyStream.HANDLER),
            cancellation, method + " " + uri);
      } catch (HttpConnectTimeoutException | SSLException e) {
        // a TLS handshake that never completes, or a reply that is not TLS at all: maybe a plain
        // HTTP server given as https. A handshake that fails on its merits (an untrusted
        // certificate) is a TLS server and keeps its own message.
        if ("https".equalsIgnoreCase(current.getScheme())
            && !(e instanceof SSLHandshakeException)
            && PlainHttpProbe.answersPlainHttp(current, PROBE_TIMEOUT)) {
          throw new InvalidReferenceException(
              method + " " + uri + ": " + current.getRawAuthority() + " answers plain HTTP, not "
                  + "HTTPS: use http:// for it (pull vm: --registry "
                  + PlainHttpProbe.plainOrigin(current) + "...; pull container: --insecure)", e);
        }
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException(method + " " + uri + " interrupted", e);
      }
      Exchange exchange = new Exchange(response, current);
      int status = response.statusCode();
      String location = response.headers().firstValue("location").orElse(null);
      if (!isRedirect(status) || location == null) {
        return exchange;
      }
      exchange.close();
      if (hop >= MAX_REDIRECTS) {
        throw new TransferException(
            method + " " + uri + ": more than " + MAX_REDIRECTS + " redirects (last to " + location + ")");
      }
      URI next;
      try {
        next = current.resolve(location.trim());
      } catch (IllegalArgumentException e) {
        throw new TransferException(
            method + " " + uri + ": redirect to an invalid Location '" + location + "'", e);
      }
      if (next.getScheme() == null
          || !(next.getScheme().equalsIgnoreCase("http") || next.getScheme().equalsIgnoreCase("https"))) {
        throw new TransferException(
            method + " " + uri + ": redirect to an unsupported URI '" + location + "'");
      }
      current = next;
    }
  }

  /** How often a request waiting for its response checks the cancellation. */
  static final long POLL_MILLIS = 100;

  /**
   * Waits for a response, as {@code HttpClient.send} does, but gives up when cancelled: the
   * request is then cancelled too (which closes its connection).
   */
  private static HttpResponse<InputStream> await(
      CompletableFuture<HttpResponse<InputStream>> response, Cancellation cancellation, String what)
      throws IOException, InterruptedException, CancelledException {
    while (true) {
      try {
        return response.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (cancellation.isCancelled()) {
          response.cancel(true);
          throw new CancelledException(what + " cancelled while waiting for the server's answer");
        }
      } catch (InterruptedException e) {
        response.cancel(true);
        throw e;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
          throw io;
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IOException(cause);
      }
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }
}
