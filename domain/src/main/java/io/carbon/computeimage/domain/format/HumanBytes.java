package io.carbon.computeimage.domain.format;

import java.util.Locale;

/** Formats byte counts for people, in decimal (SI) units as the seed does: {@code 1.4 GB}. */
public final class HumanBytes {
  private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB", "EB"};

  private HumanBytes() {}

  /**
   * Formats a byte count with one decimal in decimal units.
   *
   * @param bytes the count; negative values are formatted with a minus sign
   * @return for example {@code 512 B}, {@code 1.5 kB}, {@code 1.4 GB}
   */
  public static String format(long bytes) {
    if (bytes < 0) {
      return "-" + format(bytes == Long.MIN_VALUE ? Long.MAX_VALUE : -bytes);
    }
    if (bytes < 1000) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
