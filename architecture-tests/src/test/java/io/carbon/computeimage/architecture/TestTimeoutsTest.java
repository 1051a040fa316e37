package io.carbon.computeimage.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The build's guard against hanging tests (a hang once held a CI run until its 90-minute limit
 * with nothing in the log): the surefire configuration every module inherits gives each test and
 * lifecycle method a JUnit timeout, with every thread's stack printed before the interrupt, runs
 * each test in a thread of its own so that the timeout holds even for a thread that ignores
 * interrupts, and runs a failed test again (a rerun that passes is reported as a flake).
 */
final class TestTimeoutsTest {
  private static final Map<String, String> seen = new HashMap<>();

  @RegisterExtension
  static final BeforeEachCallback READ_PARAMETERS = context -> {
    for (String key : new String[] {
        "junit.jupiter.execution.timeout.default",
        "junit.jupiter.execution.timeout.lifecycle.method.default",
        "junit.jupiter.execution.timeout.threaddump.enabled",
        "junit.jupiter.execution.timeout.thread.mode.default"}) {
      context.getConfigurationParameter(key).ifPresent(v -> seen.put(key, v.trim()));
    }
  };

  @Test
  void everyTestHasATimeoutAndAThreadDumpOnTimeout() {
    assertThat(seen).containsEntry("junit.jupiter.execution.timeout.threaddump.enabled", "true");
    // a thread that ignores interrupts must not hold the build past the timeout either
    assertThat(seen).containsEntry("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD");
    assertThat(minutes(seen.get("junit.jupiter.execution.timeout.default")))
        .isBetween(Duration.ofMinutes(1), Duration.ofMinutes(5));
    assertThat(minutes(seen.get("junit.jupiter.execution.timeout.lifecycle.method.default")))
        .isBetween(Duration.ofMinutes(1), Duration.ofMinutes(15));
  }

  @Test
  void failedTestsRunAgain() throws Exception {
    // surefire's setting is not visible to JUnit: read it from the parent pom every module uses
    Path pom = Path.of(System.getProperty("basedir", ".")).resolve("../pom.xml").normalize();
    String text = Files.readString(pom);
    Matcher m = Pattern.compile("<rerunFailingTestsCount>(\\d+)</rerunFailingTestsCount>").matcher(text);
    assertThat(m.find()).as(pom + " sets rerunFailingTestsCount").isTrue();
    assertThat(Integer.parseInt(m.group(1))).isBetween(1, 3);
  }

  private static Duration minutes(String value) {
    assertThat(value).as("a timeout in minutes (JUnit's '<n> m' form)").matches("\\d+ m");
    return Duration.ofMinutes(Long.parseLong(value.substring(0, value.indexOf(' '))));
  }
}
