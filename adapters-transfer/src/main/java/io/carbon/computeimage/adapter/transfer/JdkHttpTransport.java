package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.BodyTooLargeException;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link HttpTransport} on {@code java.net.http}: redirects followed by hand (at most 10,
 * credentials kept for the first origin only), retries with exponential backoff and jitter on
 * connection failures, stalled or cut bodies, 408, 429 and 5xx (honouring {@code Retry-After},
 * capped by {@link TransferSettings#maxBackoff()}), a body size limit, and a stall timeout on the
 * body. Thread-safe.
 *
 * @since 0.1
 */
public final class JdkHttpTransport implements HttpTransport {
  private final TransferSettings settings;
  private final HttpExchanger exchanger;
  private final RetryPolicy retry;
  private final Sleeper sleeper;
  private final ProgressListener notes;
  private final Cancellation cancellation;

  /**
   * Creates a transport.
   *
   * @param settings timeouts, retries and user agent, must not be {@code null}
   */
  public JdkHttpTransport(TransferSettings settings) {
    this(settings, ProgressListener.NONE);
  }

  /**
   * Creates a transport that notes its retries.
   *
   * @param settings timeouts, retries and user agent, must not be {@code null}
   * @param notes receives a note before each retry (request, failure, delay)
   */
  public JdkHttpTransport(TransferSettings settings, ProgressListener notes) {
    this(settings, notes, Cancellation.NONE);
  }

  /**
   * Creates a transport that notes its retries and stops its requests when cancelled: while
   * waiting for an answer, reading a body or waiting to retry.
   *
   * @param settings timeouts, retries and user agent, must not be {@code null}
   * @param notes receives a note before each retry (request, failure, delay)
   * @param cancellation polled while a request waits
   */
  public JdkHttpTransport(TransferSettings settings, ProgressListener notes, Cancellation cancellation) {
    this(settings, Sleeper.REAL, Clock.systemUTC(), notes, cancellation);
  }

  JdkHttpTransport(TransferSettings settings, Sleeper sleeper, Clock clock) {
    this(settings, sleeper, clock, ProgressListener.NONE, Cancellation.NONE);
  }

  JdkHttpTransport(TransferSettings settings, Sleeper sleeper, Clock clock, ProgressListener notes) {
    this(settings, sleeper, clock, notes, Cancellation.NONE);
  }

  JdkHttpTransport(
      TransferSettings settings, Sleeper sleeper, Clock clock, ProgressListener notes,
      Cancellation cancellation) {
    this.cancellation = Objects.requireNonNull(cancellation, "cancellation is null");
    this.notes = Objects.requireNonNull(notes, "notes is null");
    this.settings = Objects.requireNonNull(settings, "settings is null");
    this.exchanger = new HttpExchanger(HttpExchanger.newClient(settings), settings);
    this.retry = new RetryPolicy(settings, clock, () -> ThreadLocalRandom.current().nextDouble());
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper is null");
  }

  @Override
  public HttpResult send(HttpRequest request) throws ComputeImageException {
    Objects.requireNonNull(request, "request is null");
    String method = request.method().toUpperCase(Locale.ROOT);
    if (!method.equals("GET") && !method.equals("HEAD")) {
      throw new IllegalArgumentException("only GET and HEAD are supported: " + request.method());
    }
    String what = method + " " + request.uri();
    Schemes.requireHttp(request.uri());
    for (int attempt = 1; ; attempt++) {
      cancelledCheck(what);
      String failure;
      Throwable cause = null;
      Optional<String> retryAfter = Optional.empty();
      try (HttpExchanger.Exchange ex =
          exchanger.open(method, request.uri(), request.headers(), Map.of(), cancellation)) {
        int status = ex.status();
        if (!RetryPolicy.isRetryableStatus(status)) {
          byte[] body =
              method.equals("HEAD") ? new byte[0] : readAll(ex, request.maxBodyBytes(), what);
          return new HttpResult(status, lowerCase(ex.response().headers().map()), body, ex.finalUri());
        }
        failure = "HTTP " + status + (ex.finalUri().equals(request.uri()) ? "" : " from " + ex.finalUri());
        retryAfter = Optional.ofNullable(ex.header("retry-after"));
      } catch (IOException e) {
        failure = Failures.describe(e);
        cause = e;
      }
      if (attempt >= retry.maxAttempts()) {
        throw new TransferException(
            what + " failed after " + attempt + " attempt" + (attempt == 1 ? "" : "s") + ": " + failure,
            cause);
      }
      Duration delay = retry.delay(attempt, retryAfter);
      notes.note("retrying " + what + " in " + Failures.seconds(delay) + " (" + failure + ")");
      try {
        sleeper.sleep(delay, cancellation);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancelledException(what + " interrupted while waiting to retry", e);
      } catch (CancelledException e) {
        throw new CancelledException(what + " cancelled while waiting to retry", e);
      }
    }
  }

  private byte[] readAll(HttpExchanger.Exchange ex, long max, String what)
      throws IOException, TransferException, CancelledException {
    long announced = ex.response().headers().firstValueAsLong("content-length").orElse(-1);
    if (announced > max) {
      throw new BodyTooLargeException(
          what + ": response body of " + announced + " bytes exceeds the limit of " + max + " bytes", max);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(announced > 0 ? (int) announced : 8192);
    InputStream in = ex.body();
    byte[] buf = new byte[65536];
    try (StallGuard guard = StallGuard.watch(in, settings.stallTimeout(), cancellation)) {
      while (true) {
        int n;
        try {
          n = in.read(buf);
        } catch (IOException e) {
          if (guard.cancelled()) {
            throw new CancelledException(what + " cancelled", e);
          }
          throw guard.stalled() ? Failures.stalled(settings.stallTimeout(), e) : e;
        }
        if (guard.cancelled()) {
          throw new CancelledException(what + " cancelled");
        }
        if (guard.stalled()) {
          throw Failures.stalled(settings.stallTimeout(), null);
        }
        if (n < 0) {
          break;
        }
        guard.progressed();
        if (out.size() + (long) n > max) {
          throw new BodyTooLargeException(
              what + ": response body exceeds the limit of " + max + " bytes", max);
        }
        out.write(buf, 0, n);
      }
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancelledException(what + " interrupted");
    }
    return out.toByteArray();
  }

  private void cancelledCheck(String what) throws CancelledException {
    if (cancellation.isCancelled() || Thread.currentThread().isInterrupted()) {
      throw new CancelledException(what + " cancelled");
    }
  }

  private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
    Map<String, List<String>> out = new HashMap<>();
    headers.forEach(
        (k, v) ->
            out.merge(
                k.toLowerCase(Locale.ROOT),
                List.copyOf(v),
                (a, b) -> {
                  List<String> m = new java.util.ArrayList<>(a);
                  m.addAll(b);
                  return List.copyOf(m);
                }));
    return out;
  }

  @Override
  public String toString() {
    return "JdkHttpTransport[" + settings + "]";
  }
}
