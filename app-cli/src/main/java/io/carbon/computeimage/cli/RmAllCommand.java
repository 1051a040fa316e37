package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code image-cli rm-all [--dir D]}: deletes the whole root directory, cache included. */
@Command(
    name = "rm-all",
    description = "Delete the whole root directory: every image and the cache.",
    mixinStandardHelpOptions = true)
public class RmAllCommand extends BaseCommand {
  @Option(names = "--dir", paramLabel = "<path>", description = "Root directory (default: platform default).")
  Path dir;

  @Override
  int run() throws Exception {
    Path root = root(dir);
    ComputeImage images = open(dir, listener());
    if (images.removeAll(root)) {
      out().println("removed " + root);
    } else {
      out().println("nothing to remove: " + root + " does not exist or is empty");
    }
    return 0;
  }
}
