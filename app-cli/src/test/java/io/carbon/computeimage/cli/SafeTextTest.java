package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from images and servers cannot drive the terminal or forge output lines. */
final class SafeTextTest {
  @Test
  void escape_plainText_unchanged() {
    String s = "no image for platform linux/s390x; the index has: linux/amd64 — ünïcode";
    assertThat(SafeText.escape(s)).isSameAs(s);
  }

  @Test
  void escape_controlCharacters_visibleAndOnOneLine() {
    String forged = "../\u001b[2J\u001b[32mpulled OK\nimage-cli: fake second line\r\t\u0000\u007f\u009b";
    String safe = SafeText.escape(forged);
    assertThat(safe)
        .isEqualTo("../\\e[2J\\e[32mpulled OK\\nimage-cli: fake second line\\r\\t\\x00\\x7f\\x9b")
        .doesNotContain("\n", "\r", "\u001b", "\u009b");
  }
}
