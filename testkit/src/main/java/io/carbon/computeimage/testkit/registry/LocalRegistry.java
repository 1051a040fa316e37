package io.carbon.computeimage.testkit.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian {@code docker-registry} (CNCF distribution) server, started on 127.0.0.1 with an
 * ephemeral port, its own config and storage, in one of three auth variants. Images are pushed
 * with {@code skopeo}.
 *
 * <pre>{@code
 * try (LocalRegistry r = LocalRegistry.start(LocalRegistry.Auth.TOKEN)) {
 *   r.push(layout, "v1", "team/app:v1");
 *   ... pull r.host() + "/team/app:v1" ...
 * }
 * }</pre>
 */
public final class LocalRegistry implements AutoCloseable {
  /** The user accepted by the BASIC and TOKEN variants. */
  public static final String USER = "tester";

  /** The password of {@link #USER}. */
  public static final String PASSWORD = "pa55-word";

  private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

  /** Authentication variants. */
  public enum Auth {
    /** No authentication. */
    ANONYMOUS,
    /** htpasswd (bcrypt) Basic authentication. */
    BASIC,
    /** Bearer tokens from a {@link TokenServer}; anonymous pulls allowed. */
    TOKEN,
    /** Bearer tokens from a {@link TokenServer}; anonymous pulls refused. */
    TOKEN_PRIVATE
  }

  private final Process process;
  private final Path dir;
  private final int port;
  private final Auth auth;
  private final TokenServer tokenServer;

  private LocalRegistry(Process process, Path dir, int port, Auth auth, TokenServer tokenServer) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.auth = auth;
    this.tokenServer = tokenServer;
  }

  /**
   * Starts a registry.
   *
   * @param auth the auth variant
   * @return the running registry
   * @throws IOException when it does not come up within 30 s
   */
  public static LocalRegistry start(Auth auth) throws IOException {
    Path dir = Files.createTempDirectory("ci-registry-");
    TokenServer ts = null;
    Process p = null;
    try {
      StringBuilder yml = new StringBuilder();
      yml.append("version: 0.1\n")
          .append("log:\n  level: info\n  accesslog:\n    disabled: true\n")
          .append("storage:\n  filesystem:\n    rootdirectory: ")
          .append(dir.resolve("data"))
          .append("\n  delete:\n    enabled: true\n")
          .append("http:\n  addr: 127.0.0.1:0\n");
      switch (auth) {
        case BASIC -> {
          Path htpasswd = dir.resolve("htpasswd");
          String line = Exec.run("htpasswd", "-Bbn", USER, PASSWORD);
          Files.writeString(htpasswd, line.strip() + "\n", StandardCharsets.UTF_8);
          yml.append("auth:\n  htpasswd:\n    realm: test-registry\n    path: ")
              .append(htpasswd)
              .append('\n');
        }
        case TOKEN, TOKEN_PRIVATE -> {
          ts = TokenServer.start(dir, auth == Auth.TOKEN);
          yml.append("auth:\n  token:\n    realm: ")
              .append(ts.realm())
              .append("\n    service: ")
              .append(TokenServer.SERVICE)
              .append("\n    issuer: ")
              .append(TokenServer.ISSUER)
              .append("\n    rootcertbundle: ")
              .append(ts.certFile())
              .append('\n');
        }
        default -> {}
      }
      Path config = dir.resolve("config.yml");
      Files.writeString(config, yml.toString(), StandardCharsets.UTF_8);
      Path log = dir.resolve("registry.log");
      p =
          new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) {
          throw new IOException("docker-registry exited: " + Files.readString(log));
        }
        Matcher m = LISTENING.matcher(Files.readString(log));
        if (m.find()) {
          return new LocalRegistry(p, dir, Integer.parseInt(m.group(1)), auth, ts);
        }
        Thread.sleep(20);
      }
      throw new IOException("docker-registry did not start: " + Files.readString(log));
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (p != null) {
        p.destroyForcibly();
      }
      if (ts != null) {
        ts.close();
      }
      Exec.deleteTree(dir);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  /** @return {@code 127.0.0.1:<port>} */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** @return the auth variant */
  public Auth auth() {
    return auth;
  }

  /** @return the token server of the TOKEN variants */
  public Optional<TokenServer> tokenServer() {
    return Optional.ofNullable(tokenServer);
  }

  /** @return the registry's storage directory */
  public Path storageDir() {
    return dir.resolve("data");
  }

  /**
   * Pushes one image of an OCI layout.
   *
   * @param layout the OCI layout directory
   * @param layoutRef the image's ref name in the layout's index
   * @param repoTag the destination {@code repo:tag}
   */
  public void push(Path layout, String layoutRef, String repoTag) {
    copy(layout, layoutRef, repoTag, false);
  }

  /**
   * Pushes an index and every image it lists ({@code skopeo copy --all}).
   *
   * @param layout the OCI layout directory
   * @param layoutRef the index's ref name in the layout's index
   * @param repoTag the destination {@code repo:tag}
   */
  public void pushAll(Path layout, String layoutRef, String repoTag) {
    copy(layout, layoutRef, repoTag, true);
  }

  private void copy(Path layout, String layoutRef, String repoTag, boolean all) {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy", "copy", "-q"));
    if (all) {
      cmd.add("--all");
    }
    cmd.add("--dest-tls-verify=false");
    if (auth != Auth.ANONYMOUS) {
      cmd.add("--dest-creds");
      cmd.add(USER + ":" + PASSWORD);
    }
    cmd.add("oci:" + layout + ":" + layoutRef);
    cmd.add("docker://" + host() + "/" + repoTag);
    Exec.run(null, cmd);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    if (tokenServer != null) {
      tokenServer.close();
    }
    Exec.deleteTree(dir);
  }
}
