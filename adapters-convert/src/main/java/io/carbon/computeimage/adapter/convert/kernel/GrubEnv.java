package io.carbon.computeimage.adapter.convert.kernel;

import java.util.LinkedHashMap;
import java.util.Map;

/** The GRUB environment block ({@code grubenv}): {@code name=value} lines, {@code #} padding. */
public final class GrubEnv {
  private GrubEnv() {}

  /**
   * Parses a grubenv file.
   *
   * @param text the file content
   * @return the variables in file order
   */
  public static Map<String, String> parse(String text) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.contains("=")) {
        continue;
      }
      int eq = line.indexOf('=');
      vars.put(line.substring(0, eq).trim(), line.substring(eq + 1).replace("\\n", "\n"));
    }
    return vars;
  }

  /**
   * Expands {@code $name} and {@code ${name}} references; unknown names expand to nothing.
   *
   * @param s the text
   * @param vars the variables
   * @return the expanded text with whitespace runs collapsed
   */
  public static String expand(String s, Map<String, String> vars) {
    return expand(s, vars, 0);
  }

  private static String expand(String s, Map<String, String> vars, int depth) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '$' && i + 1 < s.length()) {
        int start;
        int end;
        if (s.charAt(i + 1) == '{') {
          start = i + 2;
          end = s.indexOf('}', start);
          if (end < 0) {
            out.append(c);
            i++;
            continue;
          }
          String name = s.substring(start, end);
          out.append(expandOnce(vars.getOrDefault(name, ""), vars, depth));
          i = end + 1;
          continue;
        }
        start = i + 1;
        end = start;
        while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
          end++;
        }
        if (end == start) {
          out.append(c);
          i++;
          continue;
        }
        out.append(expandOnce(vars.getOrDefault(s.substring(start, end), ""), vars, depth));
        i = end;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString().trim().replaceAll("\\s+", " ");
  }

  private static String expandOnce(String value, Map<String, String> vars, int depth) {
    if (!value.contains("$")) {
      return value;
    }
    return depth >= 4 ? "" : expand(value, vars, depth + 1);
  }
}
