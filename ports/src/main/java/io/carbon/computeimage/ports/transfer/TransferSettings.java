package io.carbon.computeimage.ports.transfer;

import java.time.Duration;
import java.util.Objects;

/**
 * HTTP settings shared by every transfer.
 *
 * @param connectTimeout time allowed to connect
 * @param stallTimeout time a response body may stay silent before the attempt fails
 * @param maxAttempts attempts per request including the first (at least 1)
 * @param initialBackoff the first retry delay; it doubles each retry (capped, with jitter)
 * @param maxBackoff the longest delay between attempts, Retry-After included
 * @param userAgent the User-Agent header
 * @since 0.1
 */
public record TransferSettings(
    Duration connectTimeout,
    Duration stallTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    String userAgent) {

  /** Validates the components. */
  public TransferSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout is null");
    Objects.requireNonNull(stallTimeout, "stallTimeout is null");
    Objects.requireNonNull(initialBackoff, "initialBackoff is null");
    Objects.requireNonNull(maxBackoff, "maxBackoff is null");
    Objects.requireNonNull(userAgent, "userAgent is null");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
  }

  /**
   * Returns the defaults: 10 s connect (TCP and TLS handshake), 60 s stall, 5 attempts, 1 s to
   * 30 s backoff.
   *
   * @return default settings
   */
  public static TransferSettings defaults() {
    return new TransferSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        5,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        "compute-image/0.1");
  }
}
