package io.carbon.computeimage.adapter.distro.support;

import java.net.URI;
import java.util.Optional;

/** Joins a mirror base and a path below it, and applies a user's mirror override. */
public final class MirrorUris {
  private MirrorUris() {}

  /**
   * Returns the base to use: the override when present, otherwise the distro's default.
   *
   * @param override the user's mirror base, or empty
   * @param defaultBase the distro's real mirror base
   * @return the base, always ending with {@code /}
   */
  public static URI base(Optional<URI> override, URI defaultBase) {
    return withTrailingSlash(override.orElse(defaultBase));
  }

  /**
   * Appends a relative path to a base, keeping the base's own path.
   *
   * @param base for example {@code http://127.0.0.1:8080/mirror}
   * @param relativePath for example {@code alpine/v3.22/releases/cloud/}, without a leading slash
   * @return for example {@code http://127.0.0.1:8080/mirror/alpine/v3.22/releases/cloud/}
   */
  public static URI join(URI base, String relativePath) {
    String rel = relativePath;
    while (rel.startsWith("/")) {
      rel = rel.substring(1);
    }
    return URI.create(withTrailingSlash(base).toString() + rel);
  }

  /**
   * Returns the last path segment of a URI (the file name).
   *
   * @param uri the URI
   * @return the text after the last {@code /} of the path
   */
  public static String fileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static URI withTrailingSlash(URI base) {
    String s = base.toString();
    int cut = s.length();
    int q = s.indexOf('?');
    if (q >= 0) {
      throw new IllegalArgumentException("a mirror base must not have a query: " + base);
    }
    return s.charAt(cut - 1) == '/' ? base : URI.create(s + "/");
  }
}
