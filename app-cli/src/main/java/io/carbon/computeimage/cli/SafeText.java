package io.carbon.computeimage.cli;

/**
 * Makes text from images, registries and mirrors safe to print on a terminal: control characters
 * (C0, DEL and C1, which include ESC and the line breaks) are shown escaped, so a file name or a
 * server message can neither move the cursor, change colours nor forge extra output lines.
 */
final class SafeText {
  private SafeText() {}

  /**
   * @param text any text, or null
   * @return the text with every control character written as {@code \n}, {@code \r}, {@code \t},
   *     {@code \e} or {@code \xNN} / {@code \u009b}; the same string when it has none
   */
  static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !isControl(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        sb.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 0x1b -> sb.append("\\e");
        default -> sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      }
    }
    return sb.toString();
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }
}
