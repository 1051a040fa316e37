package io.carbon.computeimage.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real CLI in a separate JVM (same class path as the tests), for kill -9 and concurrency. */
final class CliProcess {
  final Process process;
  final Path out;
  final Path err;

  private static final boolean DEFAULT_SIGINT = envSupportsDefaultSignal();

  private static boolean envSupportsDefaultSignal() {
    try {
      Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static CliProcess start(Path logDir, String name, String... args) throws IOException {
    return start(List.of(), logDir, name, args);
  }

  /**
   * Starts the CLI as root without the capabilities that let root ignore file permissions
   * ({@code CAP_DAC_OVERRIDE}, {@code CAP_DAC_READ_SEARCH}): it is refused what is not root's
   * own, as any other user is ("permission denied" without switching users, so that the class
   * path under root's home stays readable).
   */
  static CliProcess startWithoutPermissionOverride(Path logDir, String name, String... args)
      throws IOException {
    return start(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search"), logDir, name, args);
  }

  private static CliProcess start(List<String> prefix, Path logDir, String name, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    if (DEFAULT_SIGINT) {
      // a build started in the background inherits an ignored SIGINT, and the JVM then keeps
      // ignoring it: give the CLI the default disposition, as an interactive shell would
      cmd.addAll(List.of("env", "--default-signal=INT"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("HOME", logDir.toString()); // no default plugin dir, no default root
    return new CliProcess(pb.start(), out, err);
  }

  /** SIGINT, as Ctrl-C in a terminal sends it. */
  void interrupt() throws Exception {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -INT " + process.pid() + " failed");
    }
  }

  int waitFor(long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("image-cli did not finish in " + seconds + " s; stderr: " + err());
    }
    return process.exitValue();
  }

  String out() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  String err() throws IOException {
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  /** SIGKILL (destroyForcibly on Unix), then waits for the process to be gone. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
