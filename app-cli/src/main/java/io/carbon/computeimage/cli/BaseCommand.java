package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.cli.digest.NativeDigests;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Shared plumbing of the leaf commands: common options, output and the library instance. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  CliEnvironment env;

  PrintWriter out() {
    return env.out();
  }

  PrintWriter err() {
    return env.err();
  }

  /** @return a listener rendering progress on stderr, or nothing when quiet */
  ProgressListener listener() {
    return common.quiet
        ? ProgressListener.NONE
        : new ProgressRenderer(env.err(), env.terminal(), env.columns(), env.nanoTime());
  }

  Path root(Path dirOption) {
    if (dirOption != null && dirOption.toString().isEmpty()) {
      // an empty path would mean the current directory: never what was meant
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--dir is empty: give a directory, or leave --dir out for the default " + env.defaultRoot());
    }
    // absolute: the paths printed (overlay mount options above all) must not depend on the
    // directory a later command runs in
    return dirOption != null ? absolute(dirOption) : env.defaultRoot();
  }

  /**
   * @return {@code dir} made absolute (an empty path is kept, for the check that refuses it)
   */
  static Path absolute(Path dir) {
    return dir == null || dir.toString().isEmpty() ? dir : dir.toAbsolutePath();
  }

  ComputeImage open(Path dirOption, ProgressListener listener) throws ComputeImageException {
    return env.factory().create(root(dirOption), listener, env.cancel(), common.pluginDirs);
  }

  /**
   * Makes libcrypto's SHA-256 and SHA-512 the JVM's digests, for the commands that hash every
   * byte they fetch ({@code pull}), unless {@code IMAGE_CLI_NATIVE_DIGEST=0}; the launcher runs
   * them with the C1 compiler only when libcrypto is there (see {@code image-cli}).
   */
  static void useNativeDigests() {
    if (!"0".equals(System.getenv("IMAGE_CLI_NATIVE_DIGEST"))) {
      NativeDigests.install();
    }
  }

  /** @return true when running the command again continues where an interrupted run stopped */
  boolean resumable() {
    return false;
  }

  @Override
  public final Integer call() throws Exception {
    env.cancel().resumable(resumable());
    try {
      return run();
    } finally {
      out().flush();
      err().flush();
    }
  }

  /**
   * Runs the command.
   *
   * @return the exit code
   * @throws Exception any failure, mapped to an exit code by the CLI
   */
  abstract int run() throws Exception;
}
