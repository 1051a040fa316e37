package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.model.Digest;
import java.util.Objects;

/**
 * One line of a checksum file.
 *
 * @param fileName the file the line covers; empty for a bare-hex file
 * @param digest the digest
 */
public record ChecksumEntry(String fileName, Digest digest) {
  /** Validates the components. */
  public ChecksumEntry {
    Objects.requireNonNull(fileName, "fileName is null");
    Objects.requireNonNull(digest, "digest is null");
  }
}
