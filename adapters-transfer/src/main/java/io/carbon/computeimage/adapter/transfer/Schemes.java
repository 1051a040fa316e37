package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import java.net.URI;

/** Checks that a URI is one this adapter can fetch. */
final class Schemes {
  private Schemes() {}

  static void requireHttp(URI uri) throws InvalidReferenceException {
    String s = uri.getScheme();
    if (s == null
        || !(s.equalsIgnoreCase("http") || s.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new InvalidReferenceException("not an absolute http(s) URL: " + uri);
    }
  }
}
