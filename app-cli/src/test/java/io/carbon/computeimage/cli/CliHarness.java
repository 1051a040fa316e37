package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.application.PluginRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Runs image-cli in-process and captures stdout, stderr and the exit code. */
final class CliHarness {
  record Result(int code, String out, String err) {}

  private final Path defaultRoot;
  private final ComputeImageFactory factory;
  private final AtomicLong clock = new AtomicLong();

  CliHarness(Path defaultRoot, ComputeImageFactory factory) {
    this.defaultRoot = defaultRoot;
    this.factory = factory;
  }

  static CliHarness withRegistry(Path defaultRoot, PluginRegistry registry) {
    return new CliHarness(
        defaultRoot,
        (root, listener, cancellation, dirs) ->
            ComputeImage.builder()
                .rootDir(root)
                .progressListener(listener)
                .cancellation(cancellation)
                .pluginRegistry(registry)
                .build());
  }

  static CliHarness withClassPathPlugins(Path defaultRoot) {
    return new CliHarness(defaultRoot, ComputeImageFactory.standard(null));
  }

  /** @return an environment whose output goes nowhere (for building command lines) */
  CliEnvironment env() {
    return env(new StringWriter(), new StringWriter());
  }

  private CliEnvironment env(StringWriter out, StringWriter err) {
    return new CliEnvironment(
        new PrintWriter(out, true), new PrintWriter(err, true), false, 80, defaultRoot,
        () -> clock.addAndGet(50_000_000L), factory, CancelSignal.none());
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliEnvironment env = env(out, err);
    int code = ImageCli.execute(args, env);
    return new Result(code, out.toString(), err.toString());
  }
}
