package io.carbon.computeimage.cli;

/** The {@code image-cli} entry point. */
public final class Main {
  private Main() {}

  /**
   * Runs the CLI and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(ImageCli.execute(args, CliEnvironment.system()));
  }
}
