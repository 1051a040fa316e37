package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Decides what is retried and how long to wait: exponential backoff from {@link
 * TransferSettings#initialBackoff()} with jitter (each delay is drawn between half and all of the
 * doubled value), or the server's {@code Retry-After}, both capped by {@link
 * TransferSettings#maxBackoff()}.
 */
final class RetryPolicy {
  private final TransferSettings settings;
  private final Clock clock;
  private final DoubleSupplier random;

  RetryPolicy(TransferSettings settings, Clock clock, DoubleSupplier random) {
    this.settings = settings;
    this.clock = clock;
    this.random = random;
  }

  /** @return the attempts allowed per request, the first included */
  int maxAttempts() {
    return settings.maxAttempts();
  }

  /**
   * Tells whether a status is worth another attempt: 408, 429 and every 5xx except 501 and 505.
   *
   * @param status the HTTP status
   * @return true when retryable
   */
  static boolean isRetryableStatus(int status) {
    return status == 408
        || status == 429
        || (status >= 500 && status <= 599 && status != 501 && status != 505);
  }

  /**
   * Returns the delay before retry number {@code retry} (1 for the first retry).
   *
   * @param retry the retry number, at least 1
   * @param retryAfter the server's {@code Retry-After} header value, or empty
   * @return the delay, never longer than the maximum backoff
   */
  Duration delay(int retry, Optional<String> retryAfter) {
    Duration max = settings.maxBackoff();
    Optional<Duration> asked = retryAfter.flatMap(this::parseRetryAfter);
    if (asked.isPresent()) {
      return min(asked.get(), max);
    }
    Duration base = settings.initialBackoff();
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    Duration doubled;
    try {
      doubled = base.multipliedBy(1L << shift);
    } catch (ArithmeticException e) {
      doubled = max;
    }
    Duration capped = min(doubled, max);
    long nanos = capped.toNanos();
    long jittered = nanos / 2 + (long) (random.getAsDouble() * (nanos - nanos / 2));
    return Duration.ofNanos(jittered);
  }

  /**
   * Parses a {@code Retry-After} value: delta seconds or an HTTP-date.
   *
   * @param value the header value
   * @return the wait it asks for (zero for a past date), or empty when unparseable
   */
  Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
      } catch (NumberFormatException e) {
        return Optional.of(settings.maxBackoff());
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
