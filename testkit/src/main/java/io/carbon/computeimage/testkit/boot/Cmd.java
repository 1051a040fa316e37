package io.carbon.computeimage.testkit.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs host tools for fixtures; a failing tool fails the test with its output. */
public final class Cmd {
  private Cmd() {}

  /** The outcome of a command. */
  public record Result(int exitCode, String output, boolean timedOut) {}

  /**
   * Runs a command and requires exit code 0.
   *
   * @param args the command and its arguments
   * @return the combined stdout and stderr
   */
  public static String run(String... args) {
    Result r = exec(null, 300, Arrays.asList(args));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          "command failed (exit " + r.exitCode() + "): " + String.join(" ", args) + "\n"
              + r.output());
    }
    return r.output();
  }

  /**
   * Runs a shell script with bash -euo pipefail and requires exit code 0.
   *
   * @param script the script
   * @return the output
   */
  public static String sh(String script) {
    return run("bash", "-euo", "pipefail", "-c", script);
  }

  /**
   * Runs a command with a timeout; the process is killed when it runs longer.
   *
   * @param dir the working directory or null
   * @param timeoutSeconds the timeout
   * @param args the command
   * @return the result
   */
  public static Result exec(Path dir, long timeoutSeconds, List<String> args) {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(args)).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      String text = out.get(10, TimeUnit.SECONDS);
      return new Result(done ? p.exitValue() : -1, text, !done);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + args, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot run " + args + ": " + e, e);
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "<output unreadable: " + e + ">";
    }
  }
}
