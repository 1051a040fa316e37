package io.carbon.computeimage.adapter.distro.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orders build strings such as {@code 3.22.10}, {@code 42-1.10} or {@code 20250101-2000} the
 * way people read them: runs of digits compare as numbers, everything else as text.
 */
public final class BuildOrder implements Comparator<String> {
  /** The shared instance. */
  public static final BuildOrder INSTANCE = new BuildOrder();

  private static final Pattern TOKEN = Pattern.compile("\\d+|\\D+");

  private BuildOrder() {}

  @Override
  public int compare(String a, String b) {
    List<String> ta = tokens(a);
    List<String> tb = tokens(b);
    for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
      String x = ta.get(i);
      String y = tb.get(i);
      int c;
      if (Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))) {
        c = new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y));
      } else {
        c = x.compareTo(y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(ta.size(), tb.size());
  }

  /**
   * Returns the newest of some builds.
   *
   * @param builds the builds
   * @return the greatest by this order, or empty when there are none
   */
  public static Optional<String> newest(Collection<String> builds) {
    return builds.stream().max(INSTANCE);
  }

  /**
   * Collects, from listing names, the first group of every name the pattern matches whole.
   *
   * @param names listing names
   * @param pattern a pattern with one capturing group: the build
   * @return the builds found
   */
  public static List<String> builds(List<String> names, Pattern pattern) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      Matcher m = pattern.matcher(n);
      if (m.matches()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  private static List<String> tokens(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(s);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
