package io.carbon.computeimage.adapter.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.UnauthorizedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the credentials for a registry, looking in this order and taking the first file that has
 * any for the registry:
 *
 * <ol>
 *   <li>Docker's {@code config.json}: {@code $DOCKER_CONFIG/config.json}, else {@code
 *       $HOME/.docker/config.json};
 *   <li>{@code $REGISTRY_AUTH_FILE};
 *   <li>{@code $XDG_RUNTIME_DIR/containers/auth.json}.
 * </ol>
 *
 * Within one file: {@code credHelpers[registry]}, then {@code credsStore}, then {@code auths}
 * (base64 {@code auth}, or {@code username}/{@code password}, and {@code identitytoken}). {@code
 * auths} keys are matched with scheme and path stripped ({@code https://host/v1/} matches {@code
 * host}); auth.json's per-repository keys ({@code host/namespace/repo}) match the most specific
 * first. Docker Hub is stored as {@code https://index.docker.io/v1/} (also accepted: {@code
 * docker.io}, {@code index.docker.io}, {@code registry-1.docker.io}).
 */
public final class CredentialStore {
  private static final String HUB_KEY = "https://index.docker.io/v1/";
  private static final List<String> HUB_NAMES =
      List.of("docker.io", "index.docker.io", "registry-1.docker.io");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final CredentialHelper helpers;

  /**
   * Creates the store.
   *
   * @param env the environment: {@code DOCKER_CONFIG}, {@code HOME}, {@code REGISTRY_AUTH_FILE},
   *     {@code XDG_RUNTIME_DIR}, {@code PATH}
   */
  public CredentialStore(Map<String, String> env) {
    this.env = Map.copyOf(env);
    this.helpers = new CredentialHelper(env);
  }

  /** @return the files consulted, in order (whether or not they exist) */
  public List<Path> files() {
    List<Path> files = new ArrayList<>();
    String dockerConfig = env.get("DOCKER_CONFIG");
    if (dockerConfig != null && !dockerConfig.isEmpty()) {
      files.add(Path.of(dockerConfig, "config.json"));
    } else if (env.get("HOME") != null && !env.get("HOME").isEmpty()) {
      files.add(Path.of(env.get("HOME"), ".docker", "config.json"));
    }
    String authFile = env.get("REGISTRY_AUTH_FILE");
    if (authFile != null && !authFile.isEmpty()) {
      files.add(Path.of(authFile));
    }
    String xdg = env.get("XDG_RUNTIME_DIR");
    if (xdg != null && !xdg.isEmpty()) {
      files.add(Path.of(xdg, "containers", "auth.json"));
    }
    return files;
  }

  /**
   * Finds credentials for a repository of a registry.
   *
   * @param registry the registry as named in references ({@code docker.io}, {@code host:port})
   * @param repository the repository path, for per-repository auth.json entries
   * @return the credentials, or empty for anonymous access
   * @throws ComputeImageException when a config file is malformed or a helper fails
   */
  public Optional<Credentials> find(String registry, String repository)
      throws ComputeImageException {
    for (Path file : files()) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      Optional<Credentials> c = fromFile(file, registry, repository);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private Optional<Credentials> fromFile(Path file, String registry, String repository)
      throws ComputeImageException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UnauthorizedException(
          "cannot read registry credentials file " + file + ": "
              + LocalStorageException.describe(e, file), e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UnauthorizedException(
          "cannot read registry credentials file " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    boolean hub = isHub(registry);
    String serverUrl = hub ? HUB_KEY : registry;
    JsonNode credHelpers = root.get("credHelpers");
    if (credHelpers != null && credHelpers.isObject()) {
      for (String key : keysOf(registry)) {
        JsonNode h = credHelpers.get(key);
        if (h != null && h.isTextual() && !h.asText().isEmpty()) {
          return helpers.get(h.asText(), serverUrl);
        }
      }
    }
    JsonNode store = root.get("credsStore");
    if (store != null && store.isTextual() && !store.asText().isEmpty()) {
      Optional<Credentials> c = helpers.get(store.asText(), serverUrl);
      if (c.isPresent()) {
        return c;
      }
    }
    JsonNode auths = root.get("auths");
    if (auths == null || !auths.isObject()) {
      return Optional.empty();
    }
    JsonNode best = null;
    int bestLen = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = normalizeKey(e.getKey());
      int len = matchLength(key, registry, repository);
      if (len > bestLen) {
        best = e.getValue();
        bestLen = len;
      }
    }
    if (best == null || !best.isObject()) {
      return Optional.empty();
    }
    String source = file.toString();
    String identity = text(best, "identitytoken");
    String username = text(best, "username");
    String password = text(best, "password");
    String auth = text(best, "auth");
    if (!auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new UnauthorizedException(
            "malformed 'auth' value for " + registry + " in " + file + ": not base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new UnauthorizedException(
            "malformed 'auth' value for " + registry + " in " + file + ": expected user:password");
      }
      username = decoded.substring(0, colon);
      password = decoded.substring(colon + 1);
    }
    if (!identity.isEmpty()) {
      return Optional.of(new Credentials(username, identity, true, source));
    }
    if (username.isEmpty() && password.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Credentials(username, password, false, source));
  }

  private static List<String> keysOf(String registry) {
    if (isHub(registry)) {
      List<String> k = new ArrayList<>(HUB_NAMES);
      k.add(0, HUB_KEY);
      return k;
    }
    return List.of(registry, "https://" + registry, "http://" + registry);
  }

  /** Returns how specifically {@code key} matches, or -1 when it does not. */
  private static int matchLength(String key, String registry, String repository) {
    String host = key;
    String path = "";
    int slash = key.indexOf('/');
    if (slash >= 0) {
      host = key.substring(0, slash);
      path = key.substring(slash + 1);
    }
    boolean hostMatches =
        host.equals(registry.toLowerCase(Locale.ROOT))
            || (isHub(registry) && HUB_NAMES.contains(host));
    if (!hostMatches) {
      return -1;
    }
    if (path.isEmpty()) {
      return 0;
    }
    if (repository.equals(path) || repository.startsWith(path + "/")) {
      return path.length();
    }
    return -1;
  }

  /** Strips a scheme and API paths ({@code /v1/}, {@code /v2/}) from an auths key. */
  private static String normalizeKey(String key) {
    String k = key.trim().toLowerCase(Locale.ROOT);
    int scheme = k.indexOf("://");
    if (scheme >= 0) {
      k = k.substring(scheme + 3);
    }
    while (k.endsWith("/")) {
      k = k.substring(0, k.length() - 1);
    }
    if (k.endsWith("/v1") || k.endsWith("/v2")) {
      k = k.substring(0, k.length() - 3);
    }
    return k;
  }

  private static boolean isHub(String registry) {
    return HUB_NAMES.contains(registry.toLowerCase(Locale.ROOT));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }
}
