package io.carbon.computeimage.cli;

import io.carbon.computeimage.domain.container.ContainerRef;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments naming a container image: {@code <image> [--dir D]}. */
public final class ContainerOptions {
  @Parameters(
      index = "0",
      paramLabel = "<image>",
      description = "OCI image reference, e.g. ubuntu:24.04, 127.0.0.1:5000/team/app:v1, alpine@sha256:...")
  String image;

  @Option(names = "--dir", paramLabel = "<path>", description = "Root directory (default: platform default).")
  Path dir;

  ContainerRef toRef() {
    ContainerRef ref = ContainerRef.of(image);
    return dir != null ? ref.withDir(BaseCommand.absolute(dir)) : ref;
  }
}
