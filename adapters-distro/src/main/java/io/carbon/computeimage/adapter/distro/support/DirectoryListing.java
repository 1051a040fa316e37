package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an HTML directory listing (Apache, nginx autoindex, MirrorCache): the names its links
 * point to. Directories keep their trailing {@code /}.
 */
public final class DirectoryListing {
  private static final Pattern HREF =
      Pattern.compile("href\\s*=\\s*[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);

  private DirectoryListing() {}

  /**
   * Fetches and parses a listing.
   *
   * @param http the transport
   * @param directory the directory URL, ending with {@code /}
   * @return the names, or empty when the mirror does not serve a listing there
   * @throws ComputeImageException the transport's own failure
   */
  public static Optional<List<String>> fetch(HttpTransport http, URI directory)
      throws ComputeImageException {
    Optional<String> html = MirrorFetch.optionalText(http, directory);
    return html.map(DirectoryListing::parse);
  }

  /**
   * Extracts the entry names of a listing page.
   *
   * @param html the page
   * @return the names in page order, without duplicates, parent links or sort links
   */
  public static List<String> parse(String html) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      String href = m.group(1);
      int cut = indexOfAny(href, '?', '#');
      if (cut >= 0) {
        href = href.substring(0, cut);
      }
      boolean dir = href.endsWith("/");
      String path = dir ? href.substring(0, href.length() - 1) : href;
      String name = path.substring(path.lastIndexOf('/') + 1);
      name = URLDecoder.decode(name, StandardCharsets.UTF_8);
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains(":")) {
        continue;
      }
      names.add(dir ? name + "/" : name);
    }
    return List.copyOf(names);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    if (i < 0) {
      return j;
    }
    return j < 0 ? i : Math.min(i, j);
  }
}
