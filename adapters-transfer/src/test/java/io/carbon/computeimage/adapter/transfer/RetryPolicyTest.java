package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class RetryPolicyTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private final TransferSettings settings =
      new TransferSettings(
          Duration.ofSeconds(1), Duration.ofSeconds(1), 5, Duration.ofSeconds(1), Duration.ofSeconds(30), "t");

  private RetryPolicy policy(double random) {
    return new RetryPolicy(settings, Clock.fixed(NOW, ZoneOffset.UTC), () -> random);
  }

  @Test
  void delay_noRetryAfter_doublesFromInitialWithJitterUpToMax() {
    assertThat(policy(0.0).delay(1, Optional.empty())).isEqualTo(Duration.ofMillis(500));
    assertThat(policy(1.0).delay(1, Optional.empty())).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy(1.0).delay(3, Optional.empty())).isEqualTo(Duration.ofSeconds(4));
    assertThat(policy(1.0).delay(10, Optional.empty())).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy(1.0).delay(200, Optional.empty())).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void delay_retryAfterSeconds_isHonouredAndCapped() {
    assertThat(policy(0.5).delay(1, Optional.of("12"))).isEqualTo(Duration.ofSeconds(12));
    assertThat(policy(0.5).delay(1, Optional.of("3600"))).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy(0.5).delay(1, Optional.of("99999999999999999999999"))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void delay_retryAfterHttpDate_waitsUntilThen() {
    assertThat(policy(0.5).delay(1, Optional.of("Sat, 01 Jun 2030 12:00:05 GMT")))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(policy(0.5).delay(1, Optional.of("Sat, 01 Jun 2030 11:00:00 GMT"))).isZero();
  }

  @Test
  void delay_unparseableRetryAfter_fallsBackToBackoff() {
    assertThat(policy(1.0).delay(2, Optional.of("soon"))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void isRetryableStatus_classifiesStatuses() {
    assertThat(RetryPolicy.isRetryableStatus(500)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(503)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(429)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(408)).isTrue();
    assertThat(RetryPolicy.isRetryableStatus(501)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(404)).isFalse();
    assertThat(RetryPolicy.isRetryableStatus(200)).isFalse();
  }

  @Test
  void sameOrigin_comparesSchemeHostAndEffectivePort() {
    assertThat(Origins.same(java.net.URI.create("http://a:80/x"), java.net.URI.create("http://A/y"))).isTrue();
    assertThat(Origins.same(java.net.URI.create("https://a/x"), java.net.URI.create("http://a/x"))).isFalse();
    assertThat(Origins.same(java.net.URI.create("http://a:8080/"), java.net.URI.create("http://a/"))).isFalse();
    assertThat(Origins.same(java.net.URI.create("http://a/"), java.net.URI.create("http://b/"))).isFalse();
  }
}
