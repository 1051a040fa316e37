package io.carbon.computeimage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command accepts. */
public final class CommonOptions {
  @Option(
      names = {"-q", "--quiet"},
      description = "No progress or notes; print only the essential result.")
  boolean quiet;

  @Option(names = "--stacktrace", description = "Print the stack trace of a failure.")
  boolean stacktrace;

  @Option(
      names = "--plugin-dir",
      paramLabel = "<dir>",
      description =
          "Load plugin jars from this directory (jars in it or in its sub-directories); repeatable."
              + " The default plugin directory ~/.config/compute-image/plugins is loaded when it exists.")
  List<Path> pluginDirs = new ArrayList<>();
}
