package io.carbon.computeimage.adapter.overlay.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds overlay mounts that use directories of an image, from {@code /proc/self/mountinfo}: an
 * image whose layers back a mounted overlay must not be deleted (the mount would lose its lower
 * directories and its writable upper directory).
 */
public final class OverlayMounts {
  private OverlayMounts() {}

  /**
   * Returns the first overlay mount whose {@code lowerdir}, {@code upperdir} or {@code workdir}
   * lies inside a directory.
   *
   * @param mountinfo the lines of {@code /proc/self/mountinfo}
   * @param dir an absolute, normalized directory
   * @return the mount point using it, or empty
   */
  public static Optional<String> mountUsing(List<String> mountinfo, Path dir) {
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] before = line.substring(0, dash).split(" ");
      String[] after = line.substring(dash + 3).split(" ");
      if (before.length < 5 || after.length < 3 || !after[0].equals("overlay")) {
        continue;
      }
      for (String dirOption : directories(after[2])) {
        Path p = Path.of(unescapeOctal(dirOption)).normalize();
        if (p.startsWith(dir)) {
          return Optional.of(unescapeOctal(before[4]));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Reads {@code /proc/self/mountinfo}; empty when it cannot be read (not Linux).
   *
   * @return its lines
   */
  public static List<String> read() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The directory paths of lowerdir (split at unescaped ':'), upperdir and workdir. */
  private static List<String> directories(String superOptions) {
    List<String> out = new ArrayList<>();
    for (String opt : splitUnescaped(superOptions, ',')) {
      int eq = opt.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = opt.substring(0, eq);
      String value = opt.substring(eq + 1);
      if (key.equals("lowerdir") || key.equals("lowerdir+") || key.equals("datadir+")) {
        for (String l : splitUnescaped(value, ':')) {
          out.add(l.replace("\\:", ":").replace("\\,", ",").replace("\\\\", "\\"));
        }
      } else if (key.equals("upperdir") || key.equals("workdir")) {
        out.add(value.replace("\\:", ":").replace("\\,", ",").replace("\\\\", "\\"));
      }
    }
    return out;
  }

  private static List<String> splitUnescaped(String s, char sep) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == sep) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
  private static String unescapeOctal(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
  }
}
