package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.transfer.HttpTransportContractTest;
import io.carbon.computeimage.testkit.transfer.TransferFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JdkHttpTransportTest extends HttpTransportContractTest {
  @Override
  protected HttpTransport newTransport(TransferSettings settings) {
    return new JdkHttpTransport(settings);
  }

  @Test
  void send_retryAfterHttpDate_sleepsUntilThatDate() throws Exception {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    String date =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(now.plusSeconds(7), ZoneOffset.UTC));
    server.fault("/index.json", Fault.status(429, Map.of("Retry-After", date)));
    List<Duration> sleeps = new ArrayList<>();
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofSeconds(30), "t");
    HttpResult r =
        new JdkHttpTransport(s, sleeps::add, Clock.fixed(now, ZoneOffset.UTC))
            .send(HttpRequest.get(server.uri("/index.json")));
    assertThat(r.status()).isEqualTo(200);
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void send_retryAfterSecondsAboveMax_sleepsMaxBackoff() throws Exception {
    server.fault("/index.json", Fault.tooManyRequests(120));
    List<Duration> sleeps = new ArrayList<>();
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofMillis(1), Duration.ofSeconds(30), "t");
    new JdkHttpTransport(s, sleeps::add, Clock.systemUTC()).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(sleeps).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void send_serverErrors_backOffExponentiallyWithinJitter() throws Exception {
    server.fault("/index.json", Fault.status(502), 3);
    List<Duration> sleeps = new ArrayList<>();
    TransferSettings s =
        new TransferSettings(
            Duration.ofSeconds(2), Duration.ofSeconds(2), 4, Duration.ofMillis(100), Duration.ofMillis(300), "t");
    new JdkHttpTransport(s, sleeps::add, Clock.systemUTC()).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(sleeps).hasSize(3);
    assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sleeps.get(2)).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
  }

  @Test
  void send_fastSettings_usesGivenUserAgent() throws Exception {
    newTransport(TransferFixtures.fastSettings()).send(HttpRequest.get(server.uri("/index.json")));
    assertThat(server.requests().get(0).header("User-Agent")).hasValue("compute-image-test");
  }
}
