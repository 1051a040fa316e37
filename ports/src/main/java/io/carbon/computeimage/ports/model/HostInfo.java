package io.carbon.computeimage.ports.model;

import java.util.Objects;

/**
 * What adapters may know about the host; detected once at the edge and injected.
 *
 * @param os the operating system family
 * @param arch the host CPU architecture
 * @param privileged whether the process runs as root (Linux) or elevated (Windows)
 * @since 0.1
 */
public record HostInfo(OsFamily os, Arch arch, boolean privileged) {
  /** Validates the components. */
  public HostInfo {
    Objects.requireNonNull(os, "os is null");
    Objects.requireNonNull(arch, "arch is null");
  }
}
