package io.carbon.computeimage.cli;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.ErrorKind;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The root command {@code image-cli}. {@link #SUBCOMMANDS} is the one place where commands are
 * registered ({@code pull} and {@code info} group one subcommand per image kind).
 */
@Command(
    name = "image-cli",
    mixinStandardHelpOptions = true,
    version = "image-cli 0.1.0",
    synopsisSubcommandLabel = "COMMAND",
    description = "Pull, convert and manage VM and container images.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:unexpected error (a bug: run again with --stacktrace and report it)",
      "2:invalid input: bad arguments, image reference, architecture or registry",
      "3:not found: unknown distro, version or architecture; missing file; HTTP 404",
      "4:network failure after retries",
      "5:integrity: checksum mismatch",
      "6:malformed image",
      "7:unsupported feature or no plugin for it",
      "8:unauthorized",
      "9:image not pulled",
      "10:local storage failure",
      "11:unsafe content refused",
      "130:cancelled or interrupted"
    })
public class ImageCli extends ParentCommand {
  /**
   * The subcommands, in the order help lists them. Picocli builds each command's model by
   * reflection when it is added; {@link #execute} adds only the one being run (the first
   * argument), which saves a third of the CLI's start-up time.
   */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          PullCommand.class,
          InfoCommand.class,
          LsCommand.class,
          RmCommand.class,
          RmAllCommand.class,
          ConvertCommand.class,
          DistrosCommand.class,
          CommandLine.HelpCommand.class);

  /**
   * Runs the CLI.
   *
   * @param args the arguments
   * @param env the environment
   * @return the exit code
   */
  public static int execute(String[] args, CliEnvironment env) {
    Optional<ConvertCommand> convert = ConvertFastPath.parse(args);
    if (convert.isPresent()) {
      return run(convert.get(), env);
    }
    String[] a = commonOptionsAfterCommand(args);
    return commandLine(env, a.length > 0 ? a[0] : null).execute(a);
  }

  /**
   * The options that may be written anywhere before the command's last word, with whether each
   * takes a value: the ones every command takes, and {@code --dir}, which every command but
   * {@code convert} and {@code distros} takes.
   */
  private static final java.util.Map<String, Boolean> MOVABLE_OPTIONS =
      java.util.Map.of(
          "-q", false, "--quiet", false, "--stacktrace", false, "--plugin-dir", true, "--dir", true);

  /**
   * Moves the options written before or between the command words ({@code image-cli -q pull vm
   * ...}, {@code image-cli pull -q vm ...}, {@code image-cli --dir D ls}) right behind them, where
   * the command that declares them reads them; anything else is left as written. A command that
   * does not take a moved option reports it as unknown, as it would anywhere.
   *
   * @param args the arguments
   * @return the arguments with those options moved behind the command words
   */
  static String[] commonOptionsAfterCommand(String[] args) {
    List<String> words = new java.util.ArrayList<>();
    List<String> moved = new java.util.ArrayList<>();
    int i = 0;
    while (i < args.length) {
      String a = args[i];
      Boolean takesValue = MOVABLE_OPTIONS.get(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
      if (takesValue != null) {
        moved.add(a);
        if (takesValue && !a.contains("=") && i + 1 < args.length) {
          moved.add(args[++i]);
        }
      } else if (commandClass(words, a) != null) {
        words.add(a);
      } else {
        break;
      }
      i++;
    }
    if (moved.isEmpty()) {
      return args;
    }
    if (words.isEmpty()) {
      if (i == args.length || args[i].startsWith("-")) {
        return args; // no command: --help, --version or nothing
      }
      if (args[i].equals("help")) {
        // help takes a command name, not these options: they change nothing in the help text
        return List.of(args).subList(i, args.length).toArray(new String[0]);
      }
      words.add(args[i++]); // an unknown command: reported as such, not the options before it
    }
    List<String> out = new java.util.ArrayList<>(words);
    out.addAll(moved);
    out.addAll(List.of(args).subList(i, args.length));
    return out.toArray(new String[0]);
  }

  /**
   * @return the command class that {@code word} names after the command words {@code path}
   *     ({@code pull} at the top, {@code vm} after {@code pull}), or null
   */
  private static Class<?> commandClass(List<String> path, String word) {
    List<Class<?>> candidates = SUBCOMMANDS;
    for (String w : path) {
      Class<?> c = named(candidates, w);
      if (c == null) {
        return null;
      }
      candidates = List.of(c.getAnnotation(Command.class).subcommands());
    }
    return named(candidates, word);
  }

  private static Class<?> named(List<Class<?>> classes, String name) {
    for (Class<?> c : classes) {
      Command a = c.getAnnotation(Command.class);
      if (c != CommandLine.HelpCommand.class && a != null && a.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Builds the configured picocli command line with every subcommand.
   *
   * @param env the environment injected into every command
   * @return the command line
   */
  public static CommandLine commandLine(CliEnvironment env) {
    return commandLine(env, null);
  }

  /**
   * Builds the configured picocli command line.
   *
   * @param env the environment injected into every command
   * @param first the first argument: when it names a subcommand (other than {@code help}), only
   *     that one is built; otherwise (null, an option, an unknown name) all of them are
   * @return the command line
   */
  static CommandLine commandLine(CliEnvironment env, String first) {
    IFactory defaults = CommandLine.defaultFactory();
    IFactory factory =
        new IFactory() {
          @Override
          public <K> K create(Class<K> cls) throws Exception {
            K o = defaults.create(cls);
            if (o instanceof BaseCommand b) {
              b.env = env;
            }
            return o;
          }
        };
    CommandLine cl = new CommandLine(new ImageCli(), factory);
    Class<?> only = first == null ? null : subcommandNamed(first);
    for (Class<?> c : SUBCOMMANDS) {
      if (only == null || c == only) {
        cl.addSubcommand(new CommandLine(c, factory));
      }
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true); // --format VHD as well as vhd
    versionEverywhere(cl, cl.getCommandSpec().version());
    cl.setOut(env.out());
    cl.setErr(env.err());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          String unknown = ex instanceof CommandLine.MissingParameterException
              ? unknownOption(ex.getCommandLine().getCommandSpec(), args) : null;
          // a misspelt required option is reported as what it is, not as the option missing
          err.println("image-cli: " + SafeText.escape(unknown != null ? unknown : describe(ex)));
          CommandSpec spec = ex.getCommandLine().getCommandSpec();
          err.println("Try '" + spec.qualifiedName() + " --help' for usage.");
          err.flush();
          return ErrorKind.INVALID_INPUT.exitCode();
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> failed(ex, cmd.getErr(), env, stacktrace(parseResult)));
    return cl;
  }

  /**
   * Runs a command read without picocli ({@link ConvertFastPath}) as picocli's {@code execute}
   * would: its exit code, or a failure reported as {@link #failed} reports it.
   */
  private static int run(BaseCommand command, CliEnvironment env) {
    command.env = env;
    try {
      return command.call();
    } catch (Exception e) {
      return failed(e, env.err(), env, command.common.stacktrace);
    }
  }

  /**
   * Reports a command's failure on {@code err} in one line (plus the stack trace when asked) and
   * returns its exit code: the kind's for the library's exceptions, 130 for Ctrl-C, 2 for a
   * parameter found invalid while running, 1 for anything else (a bug).
   */
  private static int failed(Exception ex, PrintWriter err, CliEnvironment env, boolean stacktrace) {
    int code;
    if (ex instanceof CancelledException && env.cancel().isCancelled()) {
      env.cancel().report(err); // Ctrl-C: one line, the same the shutdown hook would print
      code = ErrorKind.CANCELLED.exitCode();
    } else if (ex instanceof ComputeImageException cie) {
      err.println("image-cli: " + SafeText.escape(cie.getMessage()));
      code = cie.kind().exitCode();
    } else if (ex instanceof CommandLine.ParameterException pe) {
      err.println("image-cli: " + SafeText.escape(pe.getMessage()));
      err.println("Try '" + pe.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      code = ErrorKind.INVALID_INPUT.exitCode();
    } else {
      err.println("image-cli: unexpected error: " + SafeText.escape(String.valueOf(ex)));
      code = 1;
    }
    if (stacktrace) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /**
   * The message for a command line picocli cannot parse: for a word where a command was expected
   * ({@code image-cli pul ...}, {@code image-cli pull ubuntu:24.04}), what was expected there and
   * the closest command; for an unknown option, the closest option; otherwise picocli's message.
   *
   * @param ex the parse failure
   * @return one line
   */
  static String describe(CommandLine.ParameterException ex) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return ex.getMessage();
    }
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    String first = u.getUnmatched().get(0);
    String hint = u.getSuggestions().stream()
        .filter(c -> !c.equals(first) && close(first, c))
        .findFirst()
        .map(c -> " (did you mean '" + c + "'?)")
        .orElse("");
    List<String> commands = new java.util.ArrayList<>(spec.subcommands().keySet());
    boolean movable = MOVABLE_OPTIONS.containsKey(
        first.contains("=") ? first.substring(0, first.indexOf('=')) : first);
    if (!commands.isEmpty() && (!first.startsWith("-") || movable)) {
      if (spec.parent() == null) {
        return first.startsWith("-")
            ? "a command is needed with " + first + "; the commands are " + String.join(", ", commands)
            : "unknown command '" + first + "'" + hint + "; the commands are "
                + String.join(", ", commands);
      }
      if (first.startsWith("-")) {
        return "'" + spec.name() + "' needs " + String.join(" or ", commands) + ": "
            + String.join(" or ", commands.stream()
                .map(c -> "image-cli " + spec.name() + " " + c + " ...").toList());
      }
      String name = spec.name();
      return "'" + name + "' needs " + String.join(" or ", commands) + " before '" + first + "'"
          + hint + ": " + String.join(" or ", commands.stream()
              .map(c -> "image-cli " + name + " " + c + " ...").toList());
    }
    if (!u.isUnknownOption()) {
      return ex.getMessage();
    }
    // only the unknown options: the words after them are most often their values, which picocli
    // lists as unknown too ('--dir', 'D')
    List<String> options = u.getUnmatched().stream().filter(w -> w.startsWith("-")).toList();
    String message = (options.size() == 1 ? "Unknown option: " : "Unknown options: ")
        + String.join(", ", options.stream().map(o -> "'" + o + "'").toList());
    String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
    if (movable) {
      return message + " ('" + spec.qualifiedName() + "' does not take " + name + ")";
    }
    if (hint.isEmpty()) {
      // picocli suggests by shared letter pairs, which misses a swap ('--fromat'): the command's
      // own options by edit distance, as for a misspelt required option (unknownOption)
      List<String> names = new java.util.ArrayList<>(MOVABLE_OPTIONS.keySet());
      spec.options().forEach(o -> names.addAll(List.of(o.names())));
      hint = closestOption(name, names);
    }
    return message + hint;
  }

  /**
   * Finds a word of {@code args} that looks like an option the command does not know (so that
   * {@code pull vm x --arhc amd64} reports {@code --arhc}, not the missing {@code --arch}).
   *
   * @param spec the command that found a required option missing
   * @param args the whole command line
   * @return the message for the first unknown option, or null when every option is known
   */
  static String unknownOption(CommandSpec spec, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        return null;
      }
      if (!a.startsWith("-") || a.length() < 2 || Character.isDigit(a.charAt(1))) {
        continue;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      CommandLine.Model.OptionSpec o = spec.findOption(name);
      if (o == null) {
        List<String> names = new java.util.ArrayList<>();
        spec.options().forEach(opt -> names.addAll(List.of(opt.names())));
        return "Unknown option: '" + a + "'" + closestOption(name, names);
      }
      if (!a.contains("=") && o.arity().max() > 0) {
        i++; // its value, whatever it looks like
      }
    }
    return null;
  }

  /** @return {@code " (did you mean 'X'?)"} for the closest of {@code names}, or "" */
  private static String closestOption(String word, java.util.Collection<String> names) {
    return names.stream()
        .filter(n -> n.startsWith("--") && !n.equals(word) && close(word, n))
        .distinct()
        .sorted(java.util.Comparator.comparingInt((String n) -> distance(word, n))
            .thenComparing(java.util.Comparator.naturalOrder()))
        .findFirst()
        .map(n -> " (did you mean '" + n + "'?)")
        .orElse("");
  }

  /** @return whether {@code b} is a plausible correction of the typo {@code a} (edit distance) */
  static boolean close(String a, String b) {
    return distance(a, b) <= Math.max(2, Math.min(a.length(), b.length()) / 3);
  }

  /** @return the Levenshtein distance between {@code a} and {@code b} */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Gives every subcommand the root's version, so that {@code image-cli ls --version} prints it. */
  private static void versionEverywhere(CommandLine cl, String[] version) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().version(version);
      }
      versionEverywhere(sub, version);
    }
  }

  /** @return the subcommand class named {@code name}, or null (also for {@code help}) */
  private static Class<?> subcommandNamed(String name) {
    return named(SUBCOMMANDS, name);
  }

  private static boolean stacktrace(ParseResult pr) {
    ParseResult p = pr;
    while (p != null) {
      Object user = p.commandSpec().userObject();
      if (user instanceof BaseCommand b && b.common != null && b.common.stacktrace) {
        return true;
      }
      p = p.subcommand();
    }
    return false;
  }
}
