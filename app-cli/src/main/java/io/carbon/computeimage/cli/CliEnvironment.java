package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.HostDetector;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the commands need from the outside world: output streams, whether stderr is a terminal,
 * the default root directory, the clock for progress, and the library factory.
 *
 * @param out standard output (results, JSON)
 * @param err standard error (progress, notes, errors)
 * @param terminal whether a console is attached (progress bar instead of plain lines)
 * @param columns the terminal width
 * @param defaultRoot the root directory when {@code --dir} is not given
 * @param nanoTime the monotonic clock for rates and ETA
 * @param factory creates the library instance
 * @param cancel the cancellation the commands pass to the library (requested on Ctrl-C)
 */
public record CliEnvironment(
    PrintWriter out,
    PrintWriter err,
    boolean terminal,
    int columns,
    Path defaultRoot,
    LongSupplier nanoTime,
    ComputeImageFactory factory,
    CancelSignal cancel) {
  /** Validates the components. */
  public CliEnvironment {
    Objects.requireNonNull(out, "out is null");
    Objects.requireNonNull(err, "err is null");
    Objects.requireNonNull(defaultRoot, "defaultRoot is null");
    Objects.requireNonNull(nanoTime, "nanoTime is null");
    Objects.requireNonNull(factory, "factory is null");
    Objects.requireNonNull(cancel, "cancel is null");
  }

  /**
   * Returns the environment of this process.
   *
   * @param cancel the cancellation the shutdown hook requests
   * @return the environment
   */
  public static CliEnvironment system(CancelSignal cancel) {
    Charset cs = Charset.defaultCharset();
    int columns = 80;
    try {
      String c = System.getenv("COLUMNS");
      if (c != null) {
        columns = Math.max(40, Integer.parseInt(c.trim()));
      }
    } catch (NumberFormatException ignored) {
      // keep 80
    }
    return new CliEnvironment(
        new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true),
        new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true),
        System.console() != null,
        columns,
        HostDetector.defaultRootDir(),
        System::nanoTime,
        ComputeImageFactory.standard(HostDetector.defaultPluginDir()),
        cancel);
  }
}
