package io.carbon.computeimage.testkit.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A misbehaviour the {@link TestHttpServer} applies to a path, armed with {@link
 * TestHttpServer#fault(String, Fault)} for one request or {@link TestHttpServer#fault(String,
 * Fault, int)} for several.
 *
 * <p>Body faults ({@link #resetAfter}, {@link #truncateAfter}, {@link #stallAfter}, {@link
 * #throttle}, {@link #ignoreRange}) are consumed by GET requests only; status and redirect faults
 * by any method. Byte counts are counted from the first body byte of that response (so a 206
 * resume response counts from its own start).
 */
public final class Fault {
  enum Kind {
    RESET,
    TRUNCATE,
    STALL,
    THROTTLE,
    IGNORE_RANGE,
    STATUS,
    REDIRECT
  }

  private final Kind kind;
  private final long bytes;
  private final Duration duration;
  private final int status;
  private final Map<String, String> headers;
  private final URI location;

  private Fault(
      Kind kind, long bytes, Duration duration, int status, Map<String, String> headers, URI location) {
    this.kind = kind;
    this.bytes = bytes;
    this.duration = duration;
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.location = location;
  }

  /**
   * Sends the normal headers and {@code bytes} body bytes, then drops the connection abruptly.
   *
   * @param bytes body bytes sent before the drop
   * @return the fault
   */
  public static Fault resetAfter(long bytes) {
    return new Fault(Kind.RESET, requireNonNegative(bytes), Duration.ZERO, 0, Map.of(), null);
  }

  /**
   * Announces the full Content-Length but sends only {@code bytes} body bytes, then closes.
   *
   * @param bytes body bytes sent
   * @return the fault
   */
  public static Fault truncateAfter(long bytes) {
    return new Fault(Kind.TRUNCATE, requireNonNegative(bytes), Duration.ZERO, 0, Map.of(), null);
  }

  /**
   * Sends {@code bytes} body bytes, goes silent for {@code stall}, then sends the rest (if the
   * client is still there).
   *
   * @param bytes body bytes sent before the stall
   * @param stall how long to stay silent
   * @return the fault
   */
  public static Fault stallAfter(long bytes, Duration stall) {
    Objects.requireNonNull(stall, "stall is null");
    return new Fault(Kind.STALL, requireNonNegative(bytes), stall, 0, Map.of(), null);
  }

  /**
   * Sends the body at about {@code bytesPerSecond}, in small chunks.
   *
   * @param bytesPerSecond the rate, at least 1
   * @return the fault
   */
  public static Fault throttle(long bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("bytesPerSecond must be positive");
    }
    return new Fault(Kind.THROTTLE, bytesPerSecond, Duration.ZERO, 0, Map.of(), null);
  }

  /**
   * Ignores any {@code Range} header and answers 200 with the full body.
   *
   * @return the fault
   */
  public static Fault ignoreRange() {
    return new Fault(Kind.IGNORE_RANGE, 0, Duration.ZERO, 0, Map.of(), null);
  }

  /**
   * Answers with this status and a short text body instead of the content.
   *
   * @param status for example 500 or 503
   * @return the fault
   */
  public static Fault status(int status) {
    return status(status, Map.of());
  }

  /**
   * Answers with this status, these headers and a short text body instead of the content.
   *
   * @param status the status
   * @param headers extra response headers, for example {@code Retry-After}
   * @return the fault
   */
  public static Fault status(int status, Map<String, String> headers) {
    return new Fault(Kind.STATUS, 0, Duration.ZERO, status, headers, null);
  }

  /**
   * Answers 429 Too Many Requests with {@code Retry-After: <seconds>}.
   *
   * @param retryAfterSeconds the Retry-After value in seconds
   * @return the fault
   */
  public static Fault tooManyRequests(long retryAfterSeconds) {
    return status(429, Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /**
   * Answers 302 Found with {@code Location: location} (for example the same path on a second
   * server, another origin).
   *
   * @param location the absolute redirect target
   * @return the fault
   */
  public static Fault redirect(URI location) {
    return redirect(302, location);
  }

  /**
   * Answers a redirect status with {@code Location: location}.
   *
   * @param status 301, 302, 303, 307 or 308
   * @param location the redirect target (absolute or relative)
   * @return the fault
   */
  public static Fault redirect(int status, URI location) {
    Objects.requireNonNull(location, "location is null");
    return new Fault(Kind.REDIRECT, 0, Duration.ZERO, status, Map.of(), location);
  }

  Kind kind() {
    return kind;
  }

  long bytes() {
    return bytes;
  }

  Duration duration() {
    return duration;
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  URI location() {
    return location;
  }

  boolean isBodyFault() {
    return kind != Kind.STATUS && kind != Kind.REDIRECT;
  }

  private static long requireNonNegative(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes is negative: " + bytes);
    }
    return bytes;
  }

  @Override
  public String toString() {
    return kind + (kind == Kind.STATUS || kind == Kind.REDIRECT ? " " + status : " " + bytes);
  }
}
