package io.carbon.computeimage.testkit.registry;

import io.carbon.computeimage.ports.error.BodyTooLargeException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal {@link HttpTransport} for adapter tests that must not depend on the transfer adapter:
 * JDK client, no retries, redirects followed by hand with {@code Authorization} dropped on a change
 * of origin. Counts requests.
 */
public final class LoopbackHttpTransport implements HttpTransport {
  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final AtomicInteger requests = new AtomicInteger();

  /** @return the number of requests sent (redirect hops included) */
  public int requests() {
    return requests.get();
  }

  @Override
  public HttpResult send(HttpRequest request) throws ComputeImageException {
    URI uri = request.uri();
    Map<String, String> headers = new HashMap<>(request.headers());
    for (int hop = 0; hop < 10; hop++) {
      java.net.http.HttpRequest.Builder b =
          java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
      headers.forEach(b::header);
      b.method(request.method(), java.net.http.HttpRequest.BodyPublishers.noBody());
      requests.incrementAndGet();
      HttpResponse<InputStream> r;
      try {
        r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new TransferException("request to " + uri + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferException("interrupted: " + uri, e);
      }
      int s = r.statusCode();
      if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
        String loc = r.headers().firstValue("location").orElse(null);
        try (InputStream in = r.body()) {
          in.readAllBytes();
        } catch (IOException ignored) {
          // drained
        }
        if (loc == null) {
          throw new TransferException("redirect without Location from " + uri);
        }
        URI next = uri.resolve(loc);
        if (!Objects.equals(next.getScheme(), uri.getScheme())
            || !Objects.equals(next.getHost(), uri.getHost())
            || next.getPort() != uri.getPort()) {
          headers.remove("Authorization");
        }
        uri = next;
        continue;
      }
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, request.maxBodyBytes() + 1));
        if (body.length > request.maxBodyBytes()) {
          throw new BodyTooLargeException(
              "GET " + uri + ": response body exceeds the limit of " + request.maxBodyBytes() + " bytes",
              request.maxBodyBytes());
        }
        Map<String, java.util.List<String>> lower = new HashMap<>();
        r.headers().map().forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new HttpResult(s, lower, body, uri);
      } catch (IOException e) {
        throw new TransferException("reading " + uri + " failed: " + e, e);
      }
    }
    throw new TransferException("too many redirects from " + request.uri());
  }
}
