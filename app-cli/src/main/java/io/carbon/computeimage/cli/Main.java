package io.carbon.computeimage.cli;

import java.time.Duration;

/** The {@code image-cli} entry point. */
public final class Main {
  /** How long Ctrl-C waits for a running command to stop cleanly before the JVM exits. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private Main() {}

  /**
   * Runs the CLI and exits with its code. Ctrl-C (SIGINT) or SIGTERM cancels the running command
   * through the library's cancellation and waits briefly for it to stop: a pull leaves its partial
   * download for the next run to resume, and one line on stderr says so.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    CancelSignal signal = new CancelSignal();
    CliEnvironment env = CliEnvironment.system(signal);
    Thread hook = new Thread(() -> signal.onShutdown(env.err(), STOP_GRACE), "image-cli-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    int code;
    try {
      code = ImageCli.execute(args, env);
    } finally {
      signal.finish();
    }
    System.exit(code);
  }
}
