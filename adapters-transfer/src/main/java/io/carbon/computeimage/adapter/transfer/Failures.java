package io.carbon.computeimage.adapter.transfer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** Turns low-level I/O failures into short, user-readable causes. */
final class Failures {
  private Failures() {}

  static IOException stalled(Duration timeout, Throwable cause) {
    return new IOException("no data received for " + seconds(timeout), cause);
  }

  static String describe(Throwable e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "timed out waiting for the response";
    }
    if (e instanceof ConnectException) {
      return "connection refused" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
    String m = e.getMessage();
    String name = e.getClass().getSimpleName();
    return m == null || m.isBlank() ? name : m;
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
