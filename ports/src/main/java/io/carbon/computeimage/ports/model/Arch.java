package io.carbon.computeimage.ports.model;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import java.util.Locale;

/**
 * A CPU architecture, named as Go and OCI name it ({@code amd64}, {@code arm64}).
 *
 * @since 0.1
 */
public enum Arch {
  /** x86-64; distros call it {@code x86_64}. */
  AMD64("amd64", "x86_64"),
  /** 64-bit ARM; distros call it {@code aarch64}. */
  ARM64("arm64", "aarch64");

  private final String ociName;
  private final String unameName;

  Arch(String ociName, String unameName) {
    this.ociName = ociName;
    this.unameName = unameName;
  }

  /** @return the OCI/Go name, {@code amd64} or {@code arm64} */
  public String ociName() {
    return ociName;
  }

  /** @return the kernel/distro name, {@code x86_64} or {@code aarch64} */
  public String unameName() {
    return unameName;
  }

  /**
   * Parses an architecture name; accepts the OCI and the uname spelling, case-insensitively.
   *
   * @param name for example {@code amd64}, {@code x86_64}, {@code arm64} or {@code aarch64}
   * @return the architecture
   * @throws InvalidReferenceException when the name is not a supported architecture
   */
  public static Arch parse(String name) throws InvalidReferenceException {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Arch a : values()) {
      if (a.ociName.equals(n) || a.unameName.equals(n)) {
        return a;
      }
    }
    throw new InvalidReferenceException(
        "unknown architecture '" + name + "': expected one of amd64, arm64");
  }

  @Override
  public String toString() {
    return ociName;
  }
}
