package io.carbon.computeimage.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a plain {@code image-cli convert} command line without picocli. Building picocli's model
 * costs 0.06-0.1 s at start-up, as long as the whole conversion of an uncompressed image
 * (docs/convert.md); {@code convert} is the command timed against {@code qemu-img convert}, so its
 * usual forms skip it.
 *
 * <p>Only a command line picocli would accept with the same meaning is read here: the word
 * {@code convert}, exactly two operands that do not start with {@code -} or {@code @}, and the
 * options {@code --format raw|vhd} (any case, {@code --format=...} too), {@code --no-sync},
 * {@code -q}/{@code --quiet}, {@code --stacktrace} and {@code --plugin-dir D} (repeatable), each
 * other option at most once and only the common ones before {@code convert}. Anything else (help,
 * version, a typo, {@code --}, an {@code @file}, a missing or extra operand, an option given twice)
 * returns empty and goes through picocli, which accepts it or says what is wrong.
 * {@code ConvertFastPathTest} checks that both readings agree.
 */
final class ConvertFastPath {
  private ConvertFastPath() {}

  /**
   * Reads the command line.
   *
   * @param args the arguments as given to the CLI
   * @return the command with its options set, or empty when picocli must read the line
   */
  static Optional<ConvertCommand> parse(String[] args) {
    CommonOptions common = new CommonOptions();
    List<String> operands = new ArrayList<>();
    List<Path> pluginDirs = new ArrayList<>();
    ConvertCommand.Format format = null;
    boolean noSync = false;
    boolean seenCommand = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String name = a.startsWith("--") && a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      boolean attached = !name.equals(a);
      String value = attached ? a.substring(name.length() + 1) : null;
      switch (name) {
        case "-q", "--quiet" -> {
          if (attached || common.quiet) {
            return Optional.empty();
          }
          common.quiet = true;
        }
        case "--stacktrace" -> {
          if (attached || common.stacktrace) {
            return Optional.empty();
          }
          common.stacktrace = true;
        }
        case "--no-sync" -> {
          if (attached || noSync || !seenCommand) {
            return Optional.empty();
          }
          noSync = true;
        }
        case "--plugin-dir", "--format" -> {
          if (!attached) {
            if (i + 1 == args.length) {
              return Optional.empty();
            }
            value = args[++i];
          }
          if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
            return Optional.empty();
          }
          if (name.equals("--plugin-dir")) {
            Optional<Path> dir = path(value);
            if (dir.isEmpty()) {
              return Optional.empty();
            }
            pluginDirs.add(dir.get());
          } else {
            if (format != null || !seenCommand) {
              return Optional.empty();
            }
            format = format(value);
            if (format == null) {
              return Optional.empty();
            }
          }
        }
        default -> {
          if (a.startsWith("-") || a.startsWith("@")) {
            return Optional.empty();
          }
          if (!seenCommand) {
            if (!a.equals("convert")) {
              return Optional.empty();
            }
            seenCommand = true;
          } else {
            operands.add(a);
          }
        }
      }
    }
    if (!seenCommand || operands.size() != 2) {
      return Optional.empty();
    }
    Optional<Path> in = path(operands.get(0));
    if (in.isEmpty()) {
      return Optional.empty();
    }
    common.pluginDirs = pluginDirs;
    ConvertCommand command = new ConvertCommand();
    command.common = common;
    command.in = in.get();
    command.outFile = operands.get(1);
    command.format = format;
    command.noSync = noSync;
    return Optional.of(command);
  }

  private static ConvertCommand.Format format(String value) {
    for (ConvertCommand.Format f : ConvertCommand.Format.values()) {
      if (f.name().equals(value.toLowerCase(Locale.ROOT))) {
        return f;
      }
    }
    return null;
  }

  private static Optional<Path> path(String value) {
    try {
      return Optional.of(Path.of(value));
    } catch (InvalidPathException e) {
      return Optional.empty(); // picocli reports it
    }
  }
}
