package io.carbon.computeimage.adapter.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.UnauthorizedException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code docker-credential-<name>} program with {@code get}: the server URL on stdin, a
 * JSON {@code {ServerURL, Username, Secret}} on stdout. A user name of {@code <token>} marks an
 * identity token.
 *
 * @see <a href="https://github.com/docker/docker-credential-helpers">docker-credential-helpers
 *     protocol</a>
 */
public final class CredentialHelper {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 30;

  private final Map<String, String> env;

  /**
   * Creates the runner.
   *
   * @param env the environment ({@code PATH} locates the helper programs)
   */
  public CredentialHelper(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /**
   * Asks a helper for the credentials of a server.
   *
   * @param helper the helper suffix, for example {@code pass} for {@code docker-credential-pass}
   * @param serverUrl the server as the helper stores it ({@code https://index.docker.io/v1/} for
   *     Docker Hub, otherwise the host)
   * @return the credentials, or empty when the helper has none for the server
   * @throws ComputeImageException when the helper is missing or fails otherwise
   */
  public Optional<Credentials> get(String helper, String serverUrl) throws ComputeImageException {
    if (!helper.matches("[A-Za-z0-9._-]+")) {
      throw new UnauthorizedException(
          "invalid credential helper name '" + helper + "' configured for " + serverUrl);
    }
    String program = "docker-credential-" + helper;
    String executable = locate(program).map(Path::toString).orElse(program);
    ProcessBuilder pb = new ProcessBuilder(executable, "get");
    pb.environment().putAll(env);
    pb.redirectError(ProcessBuilder.Redirect.PIPE);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new UnauthorizedException(
          "credential helper "
              + program
              + " configured for "
              + serverUrl
              + " could not be started: "
              + e.getMessage(),
          e);
    }
    try {
      try (OutputStream in = p.getOutputStream()) {
        in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the helper exited without reading its input: its exit status and output tell why
      }
      byte[] out;
      byte[] err;
      try (InputStream o = p.getInputStream();
          InputStream e = p.getErrorStream()) {
        out = o.readNBytes(1 << 20);
        err = e.readNBytes(1 << 16);
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UnauthorizedException(
            "credential helper " + program + " timed out for " + serverUrl);
      }
      String outText = new String(out, StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0) {
        String msg = (outText + " " + new String(err, StandardCharsets.UTF_8)).trim();
        if (msg.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
          return Optional.empty();
        }
        throw new UnauthorizedException(
            "credential helper "
                + program
                + " failed for "
                + serverUrl
                + " (exit "
                + p.exitValue()
                + "): "
                + msg);
      }
      JsonNode node = JSON.readTree(outText);
      String user = text(node, "Username");
      String secret = text(node, "Secret");
      if (secret.isEmpty()) {
        return Optional.empty();
      }
      boolean token = user.equals("<token>");
      return Optional.of(new Credentials(user, secret, token, program));
    } catch (IOException e) {
      throw new UnauthorizedException(
          "credential helper " + program + " for " + serverUrl + " gave no usable answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new CancelledException("interrupted while running " + program, e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private Optional<Path> locate(String program) {
    String path = env.get("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
