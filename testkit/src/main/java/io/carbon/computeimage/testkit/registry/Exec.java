package io.carbon.computeimage.testkit.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external tools for fixtures, failing loudly with their output. */
public final class Exec {
  private Exec() {}

  /**
   * Runs a command and returns its standard output; fails on a non-zero exit.
   *
   * @param cmd the command and arguments
   * @return standard output
   */
  public static String run(String... cmd) {
    return run(null, List.of(cmd));
  }

  /**
   * Runs a command in a directory and returns its standard output; fails on a non-zero exit.
   *
   * @param dir the working directory, or null
   * @param cmd the command and arguments
   * @return standard output
   */
  public static String run(Path dir, List<String> cmd) {
    try {
      Path out = Files.createTempFile("exec-out", ".txt");
      Path err = Files.createTempFile("exec-err", ".txt");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (dir != null) {
          pb.directory(dir.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out: " + cmd);
        }
        String o = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              "command failed (exit " + p.exitValue() + "): " + cmd + "\n" + o + "\n"
                  + Files.readString(err, StandardCharsets.UTF_8));
        }
        return o;
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Deletes a tree without following symbolic links; ignores a missing root.
   *
   * @param root the tree
   */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
