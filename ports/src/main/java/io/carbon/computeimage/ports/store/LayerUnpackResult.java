package io.carbon.computeimage.ports.store;

import io.carbon.computeimage.ports.model.Digest;
import java.util.Objects;

/**
 * A layer unpacked into its directory.
 *
 * @param diffId the sha256 of the uncompressed tar stream (to check against the image config)
 * @param uncompressedSize bytes of the uncompressed tar stream
 * @param entries the number of tar entries processed
 * @since 0.1
 */
public record LayerUnpackResult(Digest diffId, long uncompressedSize, long entries) {
  /** Validates the components. */
  public LayerUnpackResult {
    Objects.requireNonNull(diffId, "diffId is null");
  }
}
