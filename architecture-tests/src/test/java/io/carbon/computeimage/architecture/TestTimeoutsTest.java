package io.carbon.computeimage.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The build's guard against hanging tests (a hang once held a CI run until its 90-minute limit
 * with nothing in the log): the surefire configuration every module inherits gives each test and
 * lifecycle method a JUnit timeout, with every thread's stack printed before the interrupt.
 */
final class TestTimeoutsTest {
  private static final Map<String, String> seen = new HashMap<>();

  @RegisterExtension
  static final BeforeEachCallback READ_PARAMETERS = context -> {
    for (String key : new String[] {
        "junit.jupiter.execution.timeout.default",
        "junit.jupiter.execution.timeout.lifecycle.method.default",
        "junit.jupiter.execution.timeout.threaddump.enabled"}) {
      context.getConfigurationParameter(key).ifPresent(v -> seen.put(key, v.trim()));
    }
  };

  @Test
  void everyTestHasATimeoutAndAThreadDumpOnTimeout() {
    assertThat(seen).containsEntry("junit.jupiter.execution.timeout.threaddump.enabled", "true");
    assertThat(minutes(seen.get("junit.jupiter.execution.timeout.default")))
        .isBetween(Duration.ofMinutes(1), Duration.ofMinutes(5));
    assertThat(minutes(seen.get("junit.jupiter.execution.timeout.lifecycle.method.default")))
        .isBetween(Duration.ofMinutes(1), Duration.ofMinutes(15));
  }

  private static Duration minutes(String value) {
    assertThat(value).as("a timeout in minutes (JUnit's '<n> m' form)").matches("\\d+ m");
    return Duration.ofMinutes(Long.parseLong(value.substring(0, value.indexOf(' '))));
  }
}
