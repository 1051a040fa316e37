package io.carbon.computeimage.adapter.oci.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header, for example {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"}.
 *
 * @param scheme the scheme in lower case ({@code bearer}, {@code basic})
 * @param params the auth-params, names in lower case
 * @see <a href="https://datatracker.ietf.org/doc/html/rfc7235#section-4.1">RFC 7235 §4.1</a>
 */
public record Challenge(String scheme, Map<String, String> params) {
  /** Validates and copies the components. */
  public Challenge {
    Objects.requireNonNull(scheme, "scheme is null");
    params = Map.copyOf(params);
  }

  /**
   * Returns a parameter.
   *
   * @param name the parameter name, any case
   * @return the value, or empty
   */
  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * Parses a {@code WWW-Authenticate} header value into its challenges.
   *
   * <p>Accepts quoted strings with backslash escapes and tokens, commas between parameters and
   * between challenges. Malformed trailing parts are ignored rather than failing the pull.
   *
   * @param header the header value
   * @return the challenges, in order; empty when none could be read
   */
  public static List<Challenge> parse(String header) {
    List<Challenge> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    int i = 0;
    int n = header.length();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (i < n) {
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',' || header.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        break;
      }
      int start = i;
      while (i < n && isTokenChar(header.charAt(i))) {
        i++;
      }
      if (i == start) {
        i++; // skip a stray character
        continue;
      }
      String token = header.substring(start, i);
      int j = i;
      while (j < n && header.charAt(j) == ' ') {
        j++;
      }
      if (j < n && header.charAt(j) == '=' && scheme != null) {
        // a parameter
        j++;
        while (j < n && header.charAt(j) == ' ') {
          j++;
        }
        StringBuilder value = new StringBuilder();
        if (j < n && header.charAt(j) == '"') {
          j++;
          while (j < n && header.charAt(j) != '"') {
            char c = header.charAt(j);
            if (c == '\\' && j + 1 < n) {
              j++;
              c = header.charAt(j);
            }
            value.append(c);
            j++;
          }
          j++; // closing quote
        } else {
          while (j < n && header.charAt(j) != ',' && header.charAt(j) != ' ') {
            value.append(header.charAt(j));
            j++;
          }
        }
        params.put(token.toLowerCase(Locale.ROOT), value.toString());
        i = j;
      } else {
        // a new scheme
        if (scheme != null) {
          out.add(new Challenge(scheme, params));
        }
        scheme = token.toLowerCase(Locale.ROOT);
        params = new LinkedHashMap<>();
        i = j;
      }
    }
    if (scheme != null) {
      out.add(new Challenge(scheme, params));
    }
    return out;
  }

  private static boolean isTokenChar(char c) {
    return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0;
  }
}
