package io.carbon.computeimage.cli;

import io.carbon.computeimage.domain.vm.VmRef;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The arguments naming a VM image: {@code <image> --arch A [--registry R] [--dir D]}. */
public final class VmOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Parameters(index = "0", paramLabel = "<image>", description = "name:version, e.g. ubuntu:24.04, debian:bookworm")
  String image;

  @Option(
      names = "--arch",
      required = true,
      paramLabel = "<arch>",
      description = "Architecture: amd64 or arm64 (x86_64 and aarch64 are accepted too).")
  String arch;

  @Option(
      names = "--registry",
      paramLabel = "<host|url>",
      description =
          "Mirror to use instead of the distro's: a host (https) or a base URL such as"
              + " http://127.0.0.1:8080 (replaces every URL base of the distro).")
  String registry;

  @Option(names = "--dir", paramLabel = "<path>", description = "Root directory (default: platform default).")
  Path dir;

  VmRef toRef(boolean extractKernel) throws InvalidReferenceException {
    if (registry != null && registry.isBlank()) {
      // the library takes a blank registry for the default mirror: never what was meant here
      throw new CommandLine.ParameterException(command.commandLine(),
          "--registry is empty: give a mirror host or base URL, or leave --registry out for the"
              + " distro's mirror");
    }
    return VmRef.builder()
        .image(image)
        .arch(arch)
        .registry(registry)
        .dir(BaseCommand.absolute(dir))
        .extractKernel(extractKernel)
        .build();
  }
}
