package io.carbon.computeimage.ports.distro;

import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import java.util.Objects;

/**
 * A cloud image resolved against the mirror: its exact build, location and current checksum.
 *
 * @param distro the catalog name, for example {@code alpine}
 * @param version the canonical version used in storage paths, for example {@code 3.22}
 * @param build the exact build the mirror serves now, for example {@code 3.22.2} or {@code 42-1.1}
 * @param arch the architecture
 * @param location the disk and checksum URLs
 * @param digest the checksum the mirror publishes for the disk now
 * @since 0.1
 */
public record ResolvedImage(
    String distro, String version, String build, Arch arch, ImageLocation location, Digest digest) {
  /** Validates the components. */
  public ResolvedImage {
    Objects.requireNonNull(distro, "distro is null");
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(build, "build is null");
    Objects.requireNonNull(arch, "arch is null");
    Objects.requireNonNull(location, "location is null");
    Objects.requireNonNull(digest, "digest is null");
  }
}
