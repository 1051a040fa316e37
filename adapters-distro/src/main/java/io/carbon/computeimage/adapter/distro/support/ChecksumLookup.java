package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.util.List;
import java.util.Optional;

/** Fetches an image's checksum file and picks the entry for the image. */
public final class ChecksumLookup {
  private ChecksumLookup() {}

  /**
   * Fetches the checksum file of a location and returns the image's digest.
   *
   * @param http the transport
   * @param location the image and its checksum file
   * @return the digest, or empty when the checksum file does not exist (HTTP 404)
   * @throws ComputeImageException a {@link NotFoundException} naming the checksum URL and the file
   *     name when the file exists but has no entry for the image; transfer failures
   */
  public static Optional<Digest> fetchIfPresent(HttpTransport http, ImageLocation location)
      throws ComputeImageException {
    Optional<String> text = MirrorFetch.textIfPresent(http, location.checksumUri());
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(select(ChecksumFileParser.parse(text.get()), location));
  }

  /**
   * Fetches the checksum file of a location and returns the image's digest.
   *
   * @param http the transport
   * @param location the image and its checksum file
   * @return the digest
   * @throws ComputeImageException a {@link NotFoundException} naming the checksum URL when the
   *     file is missing or has no entry for the image; transfer failures
   */
  public static Digest fetch(HttpTransport http, ImageLocation location)
      throws ComputeImageException {
    Optional<Digest> d = fetchIfPresent(http, location);
    if (d.isEmpty()) {
      throw new NotFoundException(
          "checksum file "
              + location.checksumUri()
              + " for "
              + location.fileName()
              + " not found on the mirror (HTTP 404)");
    }
    return d.get();
  }

  /**
   * Picks the entry for the location's file. A bare-hex file has one unnamed entry. A per-file
   * checksum file ({@code <image>.sha256}, {@code <image>.CHECKSUM}) with a single entry is taken
   * as is, since mirrors serve the dated build's sidecar under the "latest" name.
   *
   * @param entries the parsed checksum file
   * @param location the image and its checksum file
   * @return the digest
   * @throws NotFoundException naming the checksum URL and the file name when there is no entry
   */
  public static Digest select(List<ChecksumEntry> entries, ImageLocation location)
      throws NotFoundException {
    for (ChecksumEntry e : entries) {
      if (e.fileName().equals(location.fileName())) {
        return e.digest();
      }
    }
    boolean sidecar =
        MirrorUris.fileName(location.checksumUri()).startsWith(location.fileName() + ".");
    if (entries.size() == 1 && (entries.get(0).fileName().isEmpty() || sidecar)) {
      return entries.get(0).digest();
    }
    throw new NotFoundException(
        "checksum file "
            + location.checksumUri()
            + " has no entry for "
            + location.fileName()
            + (entries.isEmpty() ? " (no checksum lines at all)" : " (" + entries.size() + " other entries)"));
  }
}
