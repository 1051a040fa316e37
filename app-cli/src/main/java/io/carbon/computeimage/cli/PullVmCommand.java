package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.vm.VmPaths;
import io.carbon.computeimage.domain.vm.VmRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code image-cli pull vm <image> --arch A [--registry R] [--dir D] [--extract-kernel]}. */
@Command(
    name = "vm",
    description = {
      "Pull a distro cloud image as a ready disk.",
      "Downloads the qcow2 (verified against the mirror's checksum, resumable, cached) and converts"
          + " it to disk.img (sparse raw; disk.vhd, a fixed VHD, on Windows)."
    },
    mixinStandardHelpOptions = true)
public class PullVmCommand extends BaseCommand {
  @Mixin VmOptions vm;

  @Option(names = "--extract-kernel", description = "Also extract vmlinuz, initrd and cmdline beside the disk.")
  boolean extractKernel;

  @Override
  boolean resumable() {
    return true;
  }

  @Override
  int run() throws Exception {
    VmRef ref = vm.toRef(extractKernel);
    useNativeDigests();
    ComputeImage images = open(vm.dir, listener());
    PulledImage img = images.pull(ref);
    VmPaths p = ComputeImage.vmPathsFromImage(img);
    if (common.quiet) {
      out().println(p.disk());
      return 0;
    }
    out().println("Pulled " + img.reference() + " (" + ref.arch() + ")");
    out().println("  dir:     " + p.dir());
    out().println("  disk:    " + p.disk());
    out().println("  cache:   " + p.cache());
    p.kernel().ifPresent(k -> out().println("  kernel:  " + k));
    p.initrd().ifPresent(k -> out().println("  initrd:  " + k));
    p.cmdline().ifPresent(k -> out().println("  cmdline: " + k));
    return 0;
  }
}
