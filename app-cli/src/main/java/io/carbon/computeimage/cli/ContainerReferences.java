package io.carbon.computeimage.cli;

import io.carbon.computeimage.domain.container.ImageReference;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import java.util.Optional;

/** Helpers for commands that take either a VM or a container reference. */
final class ContainerReferences {
  private ContainerReferences() {}

  /**
   * Returns the fully qualified container reference of an argument, as container records store it.
   *
   * @param image for example {@code ubuntu:24.04}
   * @return for example {@code docker.io/library/ubuntu:24.04}, or empty when it is not a valid
   *     container reference
   */
  static Optional<String> canonical(String image) {
    try {
      return Optional.of(ImageReference.parse(image).toString());
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }
}
