package io.carbon.computeimage.ports.model;

import java.util.Objects;

/**
 * An OCI platform: {@code os/architecture[/variant]} plus an optional OS version (Windows).
 *
 * @param os for example {@code linux}
 * @param architecture for example {@code amd64}, {@code arm64}, {@code arm}
 * @param variant for example {@code v8}; empty when none
 * @param osVersion for example {@code 10.0.20348.2340}; empty when none
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">OCI image
 *     index</a>
 * @since 0.1
 */
public record Platform(String os, String architecture, String variant, String osVersion) {
  /** Validates the components; {@code variant} and {@code osVersion} may be empty, not null. */
  public Platform {
    Objects.requireNonNull(os, "os is null");
    Objects.requireNonNull(architecture, "architecture is null");
    Objects.requireNonNull(variant, "variant is null");
    Objects.requireNonNull(osVersion, "osVersion is null");
  }

  /**
   * Returns {@code os/architecture[/variant]}.
   *
   * @return the short form used on command lines
   */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
