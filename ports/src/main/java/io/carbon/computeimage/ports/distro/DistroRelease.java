package io.carbon.computeimage.ports.distro;

import io.carbon.computeimage.ports.model.Arch;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One release in a distro's table.
 *
 * @param version the canonical version, for example {@code 24.04}, {@code 3.22}, {@code latest}
 * @param aliases other names that mean this release, for example {@code noble}
 * @param arches the architectures the distro publishes a cloud image for
 * @since 0.1
 */
public record DistroRelease(String version, List<String> aliases, Set<Arch> arches) {
  /** Validates and copies the components. */
  public DistroRelease {
    Objects.requireNonNull(version, "version is null");
    aliases = List.copyOf(aliases);
    arches = Set.copyOf(arches);
  }
}
