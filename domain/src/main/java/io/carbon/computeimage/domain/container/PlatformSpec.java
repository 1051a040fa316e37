package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.model.Platform;
import java.util.Locale;

/**
 * Parses and normalises {@code os/arch[/variant]} platform strings as containerd does: {@code
 * aarch64} is {@code arm64}, {@code x86_64} is {@code amd64}, {@code arm64/v8} is plain {@code
 * arm64}, and {@code arm} defaults to variant {@code v7}.
 *
 * @since 0.1
 */
public final class PlatformSpec {
  private PlatformSpec() {}

  /**
   * Parses a platform as given on a command line.
   *
   * @param text for example {@code linux/amd64}, {@code linux/arm64/v8}, {@code linux/arm/v6}
   * @return the normalised platform
   * @throws InvalidReferenceException when the text is not {@code os/arch[/variant]}
   */
  public static Platform parse(String text) throws InvalidReferenceException {
    String[] parts = text == null ? new String[0] : text.trim().split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new InvalidReferenceException(
          "invalid platform '" + text + "': expected os/arch[/variant], for example linux/arm64");
    }
    for (String p : parts) {
      // a component starts with a letter or digit: '.' and '..' are no OS, architecture or variant
      if (!p.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new InvalidReferenceException(
            "invalid platform '" + text + "': expected os/arch[/variant], for example linux/arm64");
      }
    }
    return normalize(
        new Platform(
            parts[0].toLowerCase(Locale.ROOT),
            parts[1].toLowerCase(Locale.ROOT),
            parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : "",
            ""));
  }

  /**
   * Returns the platform of the host: {@code linux/<arch>} (or {@code windows/<arch>}).
   *
   * @param host the host
   * @return the platform
   */
  public static Platform ofHost(HostInfo host) {
    return normalize(
        new Platform(
            host.os() == OsFamily.WINDOWS ? "windows" : "linux", host.arch().ociName(), "", ""));
  }

  /**
   * Normalises architecture aliases and default variants.
   *
   * @param p a platform
   * @return the normalised platform
   */
  public static Platform normalize(Platform p) {
    String arch = p.architecture().toLowerCase(Locale.ROOT);
    String variant = p.variant().toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64", "x86-64", "amd64" -> {
        arch = "amd64";
        if (variant.equals("v1")) {
          variant = "";
        }
      }
      case "aarch64", "arm64" -> {
        arch = "arm64";
        if (variant.equals("8") || variant.equals("v8") || variant.equals("v8.0")) {
          variant = "";
        }
      }
      case "armhf" -> {
        arch = "arm";
        variant = "v7";
      }
      case "armel" -> {
        arch = "arm";
        variant = "v6";
      }
      case "arm" -> {
        if (variant.isEmpty() || variant.equals("7")) {
          variant = "v7";
        } else if (variant.matches("[5-8]")) {
          variant = "v" + variant;
        }
      }
      case "i386", "i686" -> arch = "386";
      default -> {}
    }
    return new Platform(p.os().toLowerCase(Locale.ROOT), arch, variant, p.osVersion());
  }
}
