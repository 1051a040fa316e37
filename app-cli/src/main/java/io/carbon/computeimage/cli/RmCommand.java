package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.ports.error.ImageNotPulledException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.model.Arch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-cli rm <image> [--arch A] [--dir D]}: deletes image directories, keeps the cache. */
@Command(
    name = "rm",
    description = {
      "Delete a pulled image (every registry and architecture unless --arch is given).",
      "The cache is kept, so pulling it again needs no download while the mirror is unchanged."
    },
    mixinStandardHelpOptions = true)
public class RmCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "<image>", description = "name:version (ubuntu:22.04) or a reference as listed by ls")
  String image;

  @Option(names = "--arch", paramLabel = "<arch>", description = "Only this architecture.")
  String arch;

  @Option(names = "--dir", paramLabel = "<path>", description = "Root directory (default: platform default).")
  Path dir;

  @Override
  int run() throws Exception {
    if (image.isBlank()) {
      throw new InvalidReferenceException(
          "empty image reference: give name:version (ubuntu:22.04) or a reference as listed by ls");
    }
    Optional<Arch> a = arch == null ? Optional.empty() : Optional.of(Arch.parse(arch));
    ComputeImage images = open(dir, listener());
    Path root = root(dir);
    List<Path> removed = new ArrayList<>(images.removeMatching(image, a, root));
    // container images are recorded under their full reference (docker.io/library/ubuntu:24.04)
    Optional<String> container = ContainerReferences.canonical(image);
    if (container.isPresent() && !container.get().equals(image)) {
      removed.addAll(images.removeMatching(container.get(), Optional.empty(), root));
    }
    if (removed.isEmpty()) {
      throw new ImageNotPulledException(
          "image " + image + a.map(x -> " (" + x + ")").orElse("") + " is not pulled under " + root);
    }
    for (Path p : removed) {
      out().println("removed " + p);
    }
    return 0;
  }
}
