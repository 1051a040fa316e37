package io.carbon.computeimage.ports.distro;

import java.net.URI;
import java.util.Objects;

/**
 * Where a cloud image and its checksum file live, known without any I/O.
 *
 * @param diskUri the qcow2 (or other) image
 * @param checksumUri the checksum file covering it
 * @param checksumFormat how the checksum file is written
 * @param fileName the name the checksum file lists the image under
 * @since 0.1
 */
public record ImageLocation(
    URI diskUri, URI checksumUri, ChecksumFormat checksumFormat, String fileName) {
  /** Validates the components. */
  public ImageLocation {
    Objects.requireNonNull(diskUri, "diskUri is null");
    Objects.requireNonNull(checksumUri, "checksumUri is null");
    Objects.requireNonNull(checksumFormat, "checksumFormat is null");
    Objects.requireNonNull(fileName, "fileName is null");
  }
}
