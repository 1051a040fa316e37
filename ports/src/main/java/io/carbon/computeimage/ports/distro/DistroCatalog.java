package io.carbon.computeimage.ports.distro;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.spi.Capability;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.util.List;

/**
 * One distro's cloud images: its release table, mirror layout and checksum files.
 *
 * <p>{@link #name()} is the name used in image references ({@code ubuntu} in {@code
 * ubuntu:24.04}). Implementations must be thread-safe and do I/O only in {@link #resolve}.
 *
 * @since 0.1
 */
public interface DistroCatalog extends Capability {
  /** @return other reference names of this distro, for example {@code alma} */
  default List<String> aliases() {
    return List.of();
  }

  /** @return the display name, for example {@code Ubuntu} */
  String displayName();

  /**
   * Returns the host of the default mirror, used as the {@code <registry>} part of storage paths.
   *
   * @return for example {@code cloud-images.ubuntu.com}
   */
  String defaultRegistry();

  /** @return the release table (for help, listings and error messages) */
  List<DistroRelease> releases();

  /**
   * Maps a version as typed to the canonical version used in storage paths, without I/O.
   *
   * @param requested for example {@code noble}, {@code 24.04}, {@code 42-1.1}
   * @return for example {@code 24.04}
   * @throws NotFoundException when the version is unknown; the message lists the valid ones
   */
  String canonicalVersion(String requested) throws NotFoundException;

  /**
   * Returns where the image and its checksum file are, from the built-in table only (no I/O).
   *
   * @param query the version, architecture and optional mirror
   * @return the location
   * @throws NotFoundException when the version or architecture is unknown; the message lists the
   *     valid ones
   */
  ImageLocation locate(DistroQuery query) throws NotFoundException;

  /**
   * Resolves the image against the mirror: the newest matching build, its URL and its current
   * checksum. Falls back to the built-in table when the mirror cannot say which builds exist.
   *
   * @param query the version, architecture and optional mirror
   * @param http the transport for checksum files, indexes and directory listings
   * @return the resolved image
   * @throws ComputeImageException when the version is unknown, the mirror fails, or the checksum
   *     file does not list the image
   */
  ResolvedImage resolve(DistroQuery query, HttpTransport http) throws ComputeImageException;
}
