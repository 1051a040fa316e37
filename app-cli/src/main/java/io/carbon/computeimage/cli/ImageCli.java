package io.carbon.computeimage.cli;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.ErrorKind;
import java.io.PrintWriter;
import java.util.List;
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
    String[] a = commonOptionsAfterCommand(args);
    return commandLine(env, a.length > 0 ? a[0] : null).execute(a);
  }

  /** The options every command takes, with whether each takes a value. */
  private static final java.util.Map<String, Boolean> COMMON_OPTIONS =
      java.util.Map.of("-q", false, "--quiet", false, "--stacktrace", false, "--plugin-dir", true);

  /**
   * Moves the common options written before the command ({@code image-cli -q pull vm ...}) after
   * it, where the command that declares them reads them; anything else is left as written.
   *
   * @param args the arguments
   * @return the arguments with leading common options moved behind the command words
   */
  static String[] commonOptionsAfterCommand(String[] args) {
    int i = 0;
    List<String> leading = new java.util.ArrayList<>();
    while (i < args.length) {
      String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
      Boolean takesValue = COMMON_OPTIONS.get(name);
      if (takesValue == null) {
        break;
      }
      leading.add(args[i]);
      if (takesValue && !args[i].contains("=") && i + 1 < args.length) {
        leading.add(args[++i]);
      }
      i++;
    }
    if (leading.isEmpty() || i == args.length) {
      return args;
    }
    List<String> rest = new java.util.ArrayList<>(List.of(args).subList(i, args.length));
    int end = rest.indexOf("--");
    rest.addAll(end < 0 ? rest.size() : end, leading);
    return rest.toArray(new String[0]);
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
    cl.setOut(env.out());
    cl.setErr(env.err());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("image-cli: " + SafeText.escape(ex.getMessage()));
          CommandSpec spec = ex.getCommandLine().getCommandSpec();
          err.println("Try '" + spec.qualifiedName() + " --help' for usage.");
          err.flush();
          return ErrorKind.INVALID_INPUT.exitCode();
        });
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
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
          if (stacktrace(parseResult)) {
            ex.printStackTrace(err);
          }
          err.flush();
          return code;
        });
    return cl;
  }

  /** @return the subcommand class named {@code name}, or null (also for {@code help}) */
  private static Class<?> subcommandNamed(String name) {
    for (Class<?> c : SUBCOMMANDS) {
      Command a = c.getAnnotation(Command.class);
      if (c != CommandLine.HelpCommand.class && a != null && a.name().equals(name)) {
        return c;
      }
    }
    return null;
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
