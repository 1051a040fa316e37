package io.carbon.computeimage.adapter.transfer;

import java.net.URI;
import java.util.Locale;

/** Origin comparison (scheme, host, port) as RFC 6454 defines it, with default ports filled in. */
final class Origins {
  private Origins() {}

  /**
   * Tells whether two URIs have the same origin.
   *
   * @param a one URI
   * @param b another URI
   * @return true when scheme, host and effective port are equal
   */
  static boolean same(URI a, URI b) {
    return scheme(a).equals(scheme(b))
        && host(a).equals(host(b))
        && port(a) == port(b);
  }

  private static String scheme(URI u) {
    return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
  }

  private static String host(URI u) {
    return u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    switch (scheme(u)) {
      case "http":
        return 80;
      case "https":
        return 443;
      default:
        return -1;
    }
  }
}
