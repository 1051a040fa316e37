package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A distro's releases, looked up by version or alias, with errors that list the valid ones. */
public final class ReleaseTable {
  private final String distro;
  private final List<DistroRelease> releases;

  /**
   * Creates the table.
   *
   * @param distro the distro name, for messages
   * @param releases the releases, in display order
   */
  public ReleaseTable(String distro, List<DistroRelease> releases) {
    this.distro = distro;
    this.releases = List.copyOf(releases);
    if (this.releases.isEmpty()) {
      throw new IllegalArgumentException("no releases for " + distro);
    }
  }

  /** @return the releases in display order */
  public List<DistroRelease> releases() {
    return releases;
  }

  /**
   * Finds a release by canonical version or alias, ignoring case.
   *
   * @param requested the version as typed
   * @return the release, or empty
   */
  public Optional<DistroRelease> lookup(String requested) {
    String r = requested.strip().toLowerCase(Locale.ROOT);
    for (DistroRelease rel : releases) {
      if (rel.version().toLowerCase(Locale.ROOT).equals(r)
          || rel.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(r))) {
        return Optional.of(rel);
      }
    }
    return Optional.empty();
  }

  /**
   * Finds a release by canonical version or alias.
   *
   * @param requested the version as typed
   * @return the release
   * @throws NotFoundException naming the input and listing the valid versions
   */
  public DistroRelease find(String requested) throws NotFoundException {
    return lookup(requested).orElseThrow(() -> unknownVersion(requested));
  }

  /**
   * Builds the error for an unknown version.
   *
   * @param requested the version as typed
   * @return the exception, listing the valid versions
   */
  public NotFoundException unknownVersion(String requested) {
    return new NotFoundException(
        "unknown " + distro + " version '" + requested + "': valid versions are " + describe());
  }

  /**
   * Checks that the release publishes an image for the architecture.
   *
   * @param release the release
   * @param arch the architecture
   * @throws NotFoundException listing the architectures the release has
   */
  public void requireArch(DistroRelease release, Arch arch) throws NotFoundException {
    if (!release.arches().contains(arch)) {
      throw new NotFoundException(
          distro
              + " "
              + release.version()
              + " has no "
              + arch
              + " cloud image: valid architectures are "
              + release.arches().stream()
                  .sorted(Comparator.naturalOrder())
                  .map(Arch::ociName)
                  .collect(Collectors.joining(", ")));
    }
  }

  /** @return the versions with their aliases, for example {@code 12 (bookworm), 13 (trixie)} */
  public String describe() {
    return releases.stream()
        .map(
            r ->
                r.aliases().isEmpty()
                    ? r.version()
                    : r.version() + " (" + String.join(", ", r.aliases()) + ")")
        .collect(Collectors.joining(", "));
  }
}
