package io.carbon.computeimage.adapter.overlay.tar;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Renders image-controlled text (entry names, link targets, xattr names, PAX values) for error
 * messages, so that a name cannot forge terminal output: control characters (C0, DEL, C1),
 * Unicode line and paragraph separators and bidirectional controls are escaped ({@code \n},
 * {@code \t}, {@code \r}, {@code \x1b}, {@code \u202e}), and so are bytes that are not UTF-8
 * ({@code caf\xe9}). A backslash in a name is shown as {@code \\}, so the escapes are unambiguous.
 */
public final class PrintableText {
  private PrintableText() {}

  /**
   * Escapes a name for a message.
   *
   * @param name image-controlled text, may be {@code null}
   * @return the text with backslashes and unprintable characters escaped
   */
  public static String name(String name) {
    return escape(name, true);
  }

  /**
   * Escapes raw name bytes for a message: valid UTF-8 is shown as text, other bytes as {@code
   * \xNN}.
   *
   * @param bytes the raw bytes
   * @return the escaped text
   */
  public static String name(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < bytes.length) {
      int len = sequenceLength(bytes, i);
      if (len <= 0) {
        hex(sb, bytes[i] & 0xff);
        i++;
      } else {
        sb.append(name(new String(bytes, i, len, StandardCharsets.UTF_8)));
        i += len;
      }
    }
    return sb.toString();
  }

  /**
   * Escapes the control characters of a whole message (backslashes are kept, so text that was
   * already escaped with {@link #name(String)} is unchanged).
   *
   * @param message a message that may quote image-controlled text, may be {@code null}
   * @return the message with unprintable characters escaped
   */
  public static String message(String message) {
    return escape(message, false);
  }

  /**
   * Decodes bytes as strict UTF-8.
   *
   * @param bytes the bytes
   * @param off the start
   * @param len the length
   * @return the text, or {@code null} when the bytes are not valid UTF-8
   */
  public static String strictUtf8(byte[] bytes, int off, int len) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, off, len))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String escape(String s, boolean backslash) {
    if (s == null) {
      return "null";
    }
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String rep = replacement(c, backslash);
      if (rep != null && sb == null) {
        sb = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (sb != null) {
        if (rep != null) {
          sb.append(rep);
        } else {
          sb.append(c);
        }
      }
    }
    return sb == null ? s : sb.toString();
  }

  private static String replacement(char c, boolean backslash) {
    switch (c) {
      case '\n':
        return "\\n";
      case '\t':
        return "\\t";
      case '\r':
        return "\\r";
      case '\\':
        return backslash ? "\\\\" : null;
      default:
        break;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return String.format("\\x%02x", (int) c);
    }
    if (c == 0x2028 || c == 0x2029 || (c >= 0x200e && c <= 0x200f) || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069) || c == 0x061c || c == 0xfeff) {
      return String.format("\\u%04x", (int) c);
    }
    return null;
  }

  private static void hex(StringBuilder sb, int b) {
    sb.append(String.format("\\x%02x", b));
  }

  /** Length of the valid UTF-8 sequence starting at {@code i}, or 0 when it is not valid. */
  private static int sequenceLength(byte[] b, int i) {
    int c = b[i] & 0xff;
    int len;
    if (c < 0x80) {
      return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
    } else {
      return 0;
    }
    if (i + len > b.length) {
      return 0;
    }
    return strictUtf8(b, i, len) == null ? 0 : len;
  }
}
