package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.model.Arch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code image-cli distros}: the distros, versions and architectures known (plugins included). */
@Command(
    name = "distros",
    description = "List the distros, versions and architectures that can be pulled (plugins included).",
    mixinStandardHelpOptions = true)
public class DistrosCommand extends BaseCommand {
  @Override
  int run() throws Exception {
    ComputeImage images = open(null, listener());
    int width = 0;
    for (DistroCatalog c : images.distros()) {
      for (DistroRelease r : c.releases()) {
        width = Math.max(width, version(r).length());
      }
    }
    for (DistroCatalog c : images.distros()) {
      out().println(
          c.name()
              + (c.aliases().isEmpty() ? "" : " (" + String.join(", ", c.aliases()) + ")")
              + "  "
              + c.displayName()
              + "  default mirror "
              + c.defaultRegistry());
      for (DistroRelease r : c.releases()) {
        String v = version(r);
        out().println(
            "  "
                + v
                + " ".repeat(width - v.length() + 2)
                + r.arches().stream().sorted().map(Arch::ociName).collect(Collectors.joining(", ")));
      }
    }
    return 0;
  }

  /** @return the version with its aliases, as the first column shows it */
  private static String version(DistroRelease r) {
    return r.version() + (r.aliases().isEmpty() ? "" : " (" + String.join(", ", r.aliases()) + ")");
  }
}
