package io.carbon.computeimage.adapter.convert.kernel;

import java.util.Comparator;

/**
 * Orders kernel versions as {@code rpmvercmp}/{@code sort -V} do: digit runs compare numerically,
 * other runs lexically, so {@code 6.10.0} is newer than {@code 6.9.12}.
 */
public final class VersionOrder implements Comparator<String> {
  /** The shared instance. */
  public static final VersionOrder INSTANCE = new VersionOrder();

  private VersionOrder() {}

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        if (na.length() != nb.length()) {
          return Integer.compare(na.length(), nb.length());
        }
        int c = na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else if (Character.isDigit(ca) != Character.isDigit(cb)) {
        // a number is newer than letters (rpm: numeric segments win)
        return Character.isDigit(ca) ? 1 : -1;
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
