package io.carbon.computeimage.adapter.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbon.computeimage.adapter.oci.auth.Challenge;
import io.carbon.computeimage.adapter.oci.auth.CredentialStore;
import io.carbon.computeimage.adapter.oci.auth.Credentials;
import io.carbon.computeimage.adapter.oci.manifest.Documents;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.error.UnauthorizedException;
import io.carbon.computeimage.ports.image.ImageRequest;
import io.carbon.computeimage.ports.image.RegistryImage;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Talks to one or more registries: picks the scheme, answers authentication challenges (anonymous
 * or credentialed Bearer tokens, Basic) and caches tokens per registry and repository.
 */
final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TOKEN_BODY_LIMIT = 1L << 20;
  /** Tokens are refreshed this long before they expire. */
  private static final long EXPIRY_MARGIN_NANOS = 30_000_000_000L;
  private static final long DEFAULT_TOKEN_SECONDS = 60;

  private final HttpTransport http;
  private final CredentialStore credentials;
  private final Set<String> insecureRegistries;
  private final OAuthTokenClient oauth = new OAuthTokenClient();
  /** apiHost -> the challenge it answered with (absent: not yet asked, NONE: no auth). */
  private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
  /** apiHost|repository -> token. */
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  private static final Challenge NONE = new Challenge("none", Map.of());

  private record Token(String header, long expiresAtNanos) {}

  RegistryClient(HttpTransport http, CredentialStore credentials, Set<String> insecureRegistries) {
    this.http = http;
    this.credentials = credentials;
    this.insecureRegistries = Set.copyOf(insecureRegistries);
  }

  /**
   * Returns the base URI of the registry API: plain HTTP for loopback hosts, for registries listed
   * as insecure and when the request allows it; HTTPS otherwise.
   */
  URI base(ImageRequest request) {
    String host = request.image().apiHost();
    boolean plain =
        request.insecure() || insecureRegistries.contains(host) || isLoopback(host);
    return URI.create((plain ? "http://" : "https://") + host);
  }

  URI uri(ImageRequest request, String kind, String reference) {
    return URI.create(
        base(request) + "/v2/" + request.image().repository() + "/" + kind + "/" + reference);
  }

  /**
   * GETs a registry URI, authenticating when challenged.
   *
   * @param request the image request (for host and repository)
   * @param uri the URI
   * @param accept the Accept header, or empty
   * @param maxBody the largest body accepted
   * @return the result, any status
   */
  HttpResult get(ImageRequest request, URI uri, String accept, long maxBody)
      throws ComputeImageException {
    Map<String, String> headers = new HashMap<>();
    if (!accept.isEmpty()) {
      headers.put("Accept", accept);
    }
    Optional<String> auth = cachedAuthorization(request.image());
    auth.ifPresent(a -> headers.put("Authorization", a));
    HttpResult r = http.send(new HttpRequest("GET", uri, headers, maxBody));
    if (r.status() != 401) {
      return r;
    }
    List<Challenge> offered = challengesOf(r);
    String authorization = authorize(request.image(), offered, uri, true);
    headers.put("Authorization", authorization);
    HttpResult retried = http.send(new HttpRequest("GET", uri, headers, maxBody));
    if (retried.status() == 401) {
      throw new UnauthorizedException(
          "registry "
              + request.image().registry()
              + " refused access to "
              + request.image().repository()
              + " ("
              + describeCredentials(request.image())
              + "): "
              + errorText(retried));
    }
    return retried;
  }

  /**
   * Returns the Authorization header value to send with a blob request of this image, asking for
   * a token when the registry wants one; empty when the registry needs none.
   */
  Optional<String> authorizationForBlob(RegistryImage image) throws ComputeImageException {
    Challenge c = challenges.get(image.apiHost());
    if (c == null || c == NONE) {
      return Optional.empty();
    }
    Optional<String> cached = cachedAuthorization(image);
    if (cached.isPresent()) {
      return cached;
    }
    return Optional.of(authorize(image, List.of(c), URI.create("https://" + image.apiHost()), false));
  }

  /** Notes that the host answered without a challenge (no auth needed) for the first time. */
  void noteNoAuth(RegistryImage image) {
    challenges.putIfAbsent(image.apiHost(), NONE);
  }

  private Optional<String> cachedAuthorization(RegistryImage image) {
    Challenge c = challenges.get(image.apiHost());
    if (c == null || c == NONE) {
      return Optional.empty();
    }
    Token t = tokens.get(key(image));
    if (t != null && System.nanoTime() < t.expiresAtNanos()) {
      return Optional.of(t.header());
    }
    return Optional.empty();
  }

  private String authorize(
      RegistryImage image, List<Challenge> offered, URI forUri, boolean fresh)
      throws ComputeImageException {
    Challenge bearer = null;
    Challenge basic = null;
    for (Challenge c : offered) {
      if (c.scheme().equals("bearer") && bearer == null) {
        bearer = c;
      } else if (c.scheme().equals("basic") && basic == null) {
        basic = c;
      }
    }
    Optional<Credentials> creds = credentials.find(image.registry(), image.repository());
    String header;
    long lifetimeNanos;
    if (bearer != null) {
      challenges.put(image.apiHost(), bearer);
      TokenGrant g = fetchToken(image, bearer, creds);
      header = "Bearer " + g.token();
      lifetimeNanos = g.lifetimeSeconds() * 1_000_000_000L;
    } else if (basic != null) {
      challenges.put(image.apiHost(), basic);
      if (creds.isEmpty()) {
        throw new UnauthorizedException(
            "registry "
                + image.registry()
                + " requires a login (Basic auth) for "
                + image.repository()
                + "; no credentials found in "
                + credentials.files());
      }
      header = creds.get().basicHeader();
      lifetimeNanos = Long.MAX_VALUE / 4;
    } else {
      throw new UnauthorizedException(
          "registry "
              + image.registry()
              + " answered 401 for "
              + forUri
              + " without a usable WWW-Authenticate challenge (got "
              + offered
              + ")");
    }
    long expires = System.nanoTime() + Math.max(0, lifetimeNanos - EXPIRY_MARGIN_NANOS);
    tokens.put(key(image), new Token(header, expires));
    return header;
  }

  private record TokenGrant(String token, long lifetimeSeconds) {}

  private TokenGrant fetchToken(
      RegistryImage image, Challenge bearer, Optional<Credentials> creds)
      throws ComputeImageException {
    String realm =
        bearer
            .param("realm")
            .orElseThrow(
                () ->
                    new UnauthorizedException(
                        "registry " + image.registry() + " sent a Bearer challenge without realm"));
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      throw new UnauthorizedException(
          "registry " + image.registry() + " sent an invalid token realm '" + realm + "'", e);
    }
    String scheme = realmUri.getScheme() == null ? "" : realmUri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http") || realmUri.getHost() == null) {
      throw new UnauthorizedException(
          "registry " + image.registry() + " sent a token realm that is not an http(s) URL: " + realm);
    }
    String scope = "repository:" + image.repository() + ":pull";
    String service = bearer.param("service").orElse("");
    HttpResult r;
    if (creds.isPresent() && creds.get().identityToken()) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("grant_type", "refresh_token");
      form.put("refresh_token", creds.get().secret());
      form.put("service", service);
      form.put("scope", scope);
      form.put("client_id", "compute-image");
      r = oauth.post(realmUri, form);
    } else {
      List<String> q = new ArrayList<>();
      if (!service.isEmpty()) {
        q.add("service=" + enc(service));
      }
      q.add("scope=" + enc(scope));
      String sep = realm.contains("?") ? "&" : "?";
      URI tokenUri = URI.create(realm + sep + String.join("&", q));
      Map<String, String> headers = new HashMap<>();
      creds.ifPresent(c -> headers.put("Authorization", c.basicHeader()));
      r = http.send(new HttpRequest("GET", tokenUri, headers, TOKEN_BODY_LIMIT));
    }
    if (r.status() == 401 || r.status() == 403) {
      throw new UnauthorizedException(
          "token server "
              + realmUri.getHost()
              + " refused "
              + (creds.isPresent() ? "the credentials from " + creds.get().source() : "anonymous access")
              + " for "
              + image.registry()
              + "/"
              + image.repository()
              + " (HTTP "
              + r.status()
              + ")");
    }
    if (!r.isSuccess()) {
      throw new TransferException(
          "token server " + realm + " answered HTTP " + r.status() + " for " + image);
    }
    try {
      Documents.TokenResponse t = JSON.readValue(r.body(), Documents.TokenResponse.class);
      String token = t.token() != null && !t.token().isEmpty() ? t.token() : t.accessToken();
      if (token == null || token.isEmpty()) {
        throw new UnauthorizedException("token server " + realm + " returned no token for " + image);
      }
      long life = t.expiresIn() != null && t.expiresIn() > 0 ? t.expiresIn() : DEFAULT_TOKEN_SECONDS;
      return new TokenGrant(token, life);
    } catch (IOException e) {
      throw new UnauthorizedException(
          "token server " + realm + " returned malformed JSON for " + image + ": " + e.getMessage(),
          e);
    }
  }

  private String describeCredentials(RegistryImage image) {
    try {
      return credentials
          .find(image.registry(), image.repository())
          .map(c -> "credentials from " + c.source())
          .orElse("anonymous");
    } catch (ComputeImageException e) {
      return "credentials unreadable";
    }
  }

  /**
   * Turns an unsuccessful registry answer into the matching exception.
   *
   * @param r the result
   * @param what what was asked for, for the message
   * @return the exception to throw
   */
  ComputeImageException failure(HttpResult r, String what) {
    String text = errorText(r);
    if (r.status() == 404) {
      return new NotFoundException(what + " not found (HTTP 404: " + text + ")");
    }
    if (r.status() == 401 || r.status() == 403) {
      return new UnauthorizedException(what + ": access denied (HTTP " + r.status() + ": " + text + ")");
    }
    return new TransferException(what + ": registry answered HTTP " + r.status() + ": " + text);
  }

  static String errorText(HttpResult r) {
    try {
      Documents.ErrorResponse e = JSON.readValue(r.body(), Documents.ErrorResponse.class);
      if (e != null && e.errors() != null && !e.errors().isEmpty()) {
        List<String> parts = new ArrayList<>();
        for (Documents.ErrorEntry x : e.errors()) {
          parts.add(x.code() + (x.message() == null ? "" : " " + x.message()));
        }
        return String.join("; ", parts);
      }
    } catch (IOException | RuntimeException ignored) {
      // not a registry error body
    }
    String body = r.bodyText().strip();
    return body.length() > 200 ? body.substring(0, 200) + "..." : body.isEmpty() ? "no body" : body;
  }

  private static List<Challenge> challengesOf(HttpResult r) {
    List<Challenge> out = new ArrayList<>();
    List<String> values = r.headers().get("www-authenticate");
    if (values != null) {
      for (String v : values) {
        out.addAll(Challenge.parse(v));
      }
    }
    return out;
  }

  private static String key(RegistryImage image) {
    return image.apiHost() + "|" + image.repository();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Loopback as Docker treats it: {@code localhost}, 127.0.0.0/8 and {@code ::1}, any port. */
  static boolean isLoopback(String hostPort) {
    String host = hostPort;
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      host = end > 0 ? host.substring(1, end) : host;
      return host.equals("::1");
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0) {
      host = host.substring(0, colon);
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }
}
