package io.carbon.computeimage.ports.distro;

import io.carbon.computeimage.ports.model.Arch;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What the user asked for: a version as typed (number, codename, build string), an architecture
 * and an optional mirror base that replaces every URL base of the distro (archives included).
 *
 * @param version the version as typed, for example {@code noble}, {@code 42}, {@code 42-1.1}
 * @param arch the architecture
 * @param mirror a base URL with scheme that replaces the distro's mirror(s), or empty
 * @since 0.1
 */
public record DistroQuery(String version, Arch arch, Optional<URI> mirror) {
  /** Validates the components. */
  public DistroQuery {
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(arch, "arch is null");
    Objects.requireNonNull(mirror, "mirror is null");
  }
}
