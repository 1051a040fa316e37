package io.carbon.computeimage.adapter.oci.manifest;

import io.carbon.computeimage.ports.model.Platform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses an index entry for a platform as containerd does: architecture aliases and default
 * variants normalised ({@code arm64/v8} = {@code arm64}, {@code arm} = {@code arm/v7}), an {@code
 * arm} variant falling back to lower ones ({@code v7} → {@code v6} → {@code v5}), attestation
 * entries ({@code unknown/unknown}, {@code vnd.docker.reference.type}) skipped, first match in index
 * order wins.
 */
public final class PlatformMatcher {
  private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

  private PlatformMatcher() {}

  /**
   * Picks the entry for {@code wanted}.
   *
   * @param entries the index entries
   * @param wanted the wanted platform
   * @return the chosen entry, or empty when none matches
   */
  public static Optional<Documents.Descriptor> choose(
      List<Documents.Descriptor> entries, Platform wanted) {
    Platform w = normalize(wanted);
    for (String variant : acceptableVariants(w)) {
      for (Documents.Descriptor d : entries) {
        if (isAttestation(d) || d.platform() == null) {
          continue;
        }
        Platform p = normalize(toPlatform(d.platform()));
        if (p.os().equals(w.os())
            && p.architecture().equals(w.architecture())
            && p.variant().equals(variant)) {
          return Optional.of(d);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Describes the platforms an index offers, for error messages.
   *
   * @param entries the index entries
   * @return for example {@code [linux/amd64, windows/amd64 10.0.20348.2340]}
   */
  public static List<String> describe(List<Documents.Descriptor> entries) {
    List<String> out = new ArrayList<>();
    for (Documents.Descriptor d : entries) {
      if (isAttestation(d) || d.platform() == null) {
        continue;
      }
      Platform p = toPlatform(d.platform());
      out.add(p + (p.osVersion().isEmpty() ? "" : " " + p.osVersion()));
    }
    return out;
  }

  /** @return true for a BuildKit attestation or other non-image reference entry */
  public static boolean isAttestation(Documents.Descriptor d) {
    if (d.annotations() != null && d.annotations().containsKey(REFERENCE_TYPE)) {
      return true;
    }
    return d.platform() != null
        && "unknown".equals(d.platform().os())
        && "unknown".equals(d.platform().architecture());
  }

  /**
   * Converts a JSON platform.
   *
   * @param p the JSON platform
   * @return the platform with empty strings for missing parts
   */
  public static Platform toPlatform(Documents.PlatformJson p) {
    return new Platform(
        nz(p.os()), nz(p.architecture()), nz(p.variant()), nz(p.osVersion()));
  }

  /**
   * Normalises architecture aliases and default variants.
   *
   * @param p the platform
   * @return the normalised platform
   */
  public static Platform normalize(Platform p) {
    String os = p.os().toLowerCase(Locale.ROOT);
    String arch = p.architecture().toLowerCase(Locale.ROOT);
    String variant = p.variant().toLowerCase(Locale.ROOT);
    switch (arch) {
      case "x86_64", "x86-64" -> arch = "amd64";
      case "aarch64" -> arch = "arm64";
      case "armhf" -> {
        arch = "arm";
        variant = "v7";
      }
      case "armel" -> {
        arch = "arm";
        variant = "v6";
      }
      case "i386", "i686" -> arch = "386";
      default -> {}
    }
    if (arch.equals("arm64") && (variant.equals("8") || variant.equals("v8") || variant.equals("v8.0"))) {
      variant = "";
    } else if (arch.equals("amd64") && variant.equals("v1")) {
      variant = "";
    } else if (arch.equals("arm")) {
      if (variant.isEmpty()) {
        variant = "v7";
      } else if (variant.matches("[5-8]")) {
        variant = "v" + variant;
      }
    }
    return new Platform(os, arch, variant, p.osVersion());
  }

  private static List<String> acceptableVariants(Platform w) {
    if (w.architecture().equals("arm")) {
      switch (w.variant()) {
        case "v8":
          return List.of("v8", "v7", "v6", "v5");
        case "v7":
          return List.of("v7", "v6", "v5");
        case "v6":
          return List.of("v6", "v5");
        default:
          return List.of(w.variant());
      }
    }
    return List.of(w.variant());
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
