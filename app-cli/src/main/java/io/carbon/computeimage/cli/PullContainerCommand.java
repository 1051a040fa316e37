package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.container.ContainerPaths;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.image.PulledImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code image-cli pull container <image> [--dir D] [--platform os/arch[/variant]] [--insecure]}. */
@Command(
    name = "container",
    description = {
      "Pull an OCI/Docker image from a registry as overlayfs layer directories.",
      "Layers download in parallel into the shared cache (verified, resumable) and unpack into"
          + " layers/00, 01, ... (mount with lowerdir=NN:...:00, upperdir=upper, workdir=work)."
    },
    mixinStandardHelpOptions = true)
public class PullContainerCommand extends BaseCommand {
  @Mixin ContainerOptions container;

  @Option(
      names = "--platform",
      paramLabel = "<os/arch[/variant]>",
      description = "Platform to pick from a multi-platform image (default: the host's), e.g. linux/arm64.")
  String platform;

  @Option(
      names = "--insecure",
      description = "Allow plain HTTP to a registry that is not loopback (loopback always uses HTTP).")
  boolean insecure;

  @Override
  boolean resumable() {
    return true;
  }

  @Override
  int run() throws Exception {
    ContainerRef ref = container.toRef().withInsecure(insecure);
    if (platform != null) {
      ref = ref.withPlatform(platform);
    }
    useNativeDigests();
    ComputeImage images = open(container.dir, listener());
    PulledImage img = images.pull(ref);
    ContainerPaths p = ComputeImage.containerPathsFromImage(img);
    if (common.quiet) {
      out().println(p.dir());
      return 0;
    }
    out().println("Pulled " + img.reference() + " (" + img.record().platform() + ")");
    out().println("  digest:  " + img.record().attribute("manifestDigest").orElse("-"));
    out().println("  dir:     " + p.dir());
    out().println("  layers:  " + p.layers().size() + " (" + p.dir().resolve("layers") + ")");
    out().println("  upper:   " + p.upper());
    out().println("  work:    " + p.work());
    out().println("  cache:   " + p.cache());
    return 0;
  }
}
