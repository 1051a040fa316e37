package io.carbon.computeimage.testkit.disk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool (qemu-img, sfdisk, mkfs.*, losetup, mount) and fails with the whole
 * command line, exit code, stdout and stderr when it does not exit as expected.
 *
 * <p>Test support only: failures are {@link IllegalStateException}s meant to be read in a test
 * report.
 *
 * @since 0.1
 */
public final class ToolRunner {
  private static final long TIMEOUT_MINUTES = 10;

  private ToolRunner() {}

  /**
   * The outcome of a finished command.
   *
   * @param command the command line
   * @param exitCode the exit code
   * @param stdout standard output (UTF-8)
   * @param stderr standard error (UTF-8)
   */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Copies the command. */
    public Result {
      command = List.copyOf(command);
    }

    /** @return a multi-line description for failure messages */
    public String describe() {
      return "command " + String.join(" ", command) + " exited with " + exitCode
          + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
  }

  /**
   * Runs a command that must exit with 0.
   *
   * @param command the program and its arguments
   * @return the result
   * @throws IllegalStateException when the command cannot start, times out or exits non-zero
   */
  public static Result run(String... command) {
    return run(List.of(command));
  }

  /**
   * Runs a command that must exit with 0.
   *
   * @param command the program and its arguments
   * @return the result
   * @throws IllegalStateException when the command cannot start, times out or exits non-zero
   */
  public static Result run(List<String> command) {
    Result r = runAllowingFailure(command, null);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(r.describe());
    }
    return r;
  }

  /**
   * Runs a command with the given standard input and returns whatever exit code it gives.
   *
   * @param command the program and its arguments
   * @param stdin text for standard input, or {@code null} for none
   * @return the result
   * @throws IllegalStateException when the command cannot start or times out
   */
  public static Result runAllowingFailure(List<String> command, String stdin) {
    return runAllowingFailure(command, stdin, Map.of());
  }

  /**
   * Runs a command with extra environment variables and returns whatever exit code it gives.
   *
   * @param command the program and its arguments
   * @param stdin text for standard input, or {@code null} for none
   * @param env variables added to the inherited environment
   * @return the result
   * @throws IllegalStateException when the command cannot start or times out
   */
  public static Result runAllowingFailure(
      List<String> command, String stdin, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(command);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start " + String.join(" ", cmd) + " (is the tool installed? see .ci/packages): "
              + e.getMessage(),
          e);
    }
    CompletableFuture<String> out = drain(p.getInputStream());
    CompletableFuture<String> err = drain(p.getErrorStream());
    try {
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "command " + String.join(" ", cmd) + " timed out after " + TIMEOUT_MINUTES + " min");
      }
      // a child the tool left behind may hold its output open: wait for the rest a bounded time
      return new Result(cmd, p.exitValue(), rest(out, cmd), rest(err, cmd));
    } catch (IOException e) {
      throw new UncheckedIOException("writing stdin of " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", cmd), e);
    }
  }

  /**
   * Runs a command with standard input that must exit with 0.
   *
   * @param stdin the input text
   * @param command the program and its arguments
   * @return the result
   */
  public static Result runWithInput(String stdin, String... command) {
    Result r = runAllowingFailure(List.of(command), stdin);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(r.describe());
    }
    return r;
  }

  /**
   * Returns the number of 512-byte blocks allocated to a file ({@code stat -c %b}).
   *
   * @param file the file
   * @return allocated 512-byte blocks
   */
  public static long allocatedBlocks(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalStateException("no such file " + file);
    }
    return Long.parseLong(run("stat", "-c", "%b", file.toString()).stdout().trim());
  }

  private static String rest(CompletableFuture<String> output, List<String> cmd)
      throws InterruptedException {
    try {
      return output.get(1, TimeUnit.MINUTES);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the output of " + String.join(" ", cmd)
          + " stayed open for a minute after it exited (a process it started holds it?)", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("reading the output of " + String.join(" ", cmd), e);
    }
  }

  private static CompletableFuture<String> drain(InputStream in) {
    CompletableFuture<String> result = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                result.complete("<unreadable: " + e.getMessage() + ">");
              }
            },
            "tool-output-drain");
    t.setDaemon(true);
    t.start();
    return result;
  }
}
