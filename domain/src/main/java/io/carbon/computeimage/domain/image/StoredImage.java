package io.carbon.computeimage.domain.image;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An image directory found under a root, ready or not.
 *
 * @param dir the image directory
 * @param status ready (record present) or incomplete
 * @param kind {@code vm}, {@code container} or {@code unknown}
 * @param reference the reference, from the record or, when incomplete, from the path
 * @param platform the architecture or platform, or {@code -}
 * @param registry the registry path segment
 * @param sizeBytes the size of the files in the directory: their apparent size, except a VM's sparse
 *     disk, which counts with its allocated (data) bytes when the library lists it
 * @param record the record, present when ready
 * @since 0.1
 */
public record StoredImage(
    Path dir,
    ImageStatus status,
    String kind,
    String reference,
    String platform,
    String registry,
    long sizeBytes,
    Optional<ImageRecord> record) {
  /** Validates the components. */
  public StoredImage {
    Objects.requireNonNull(dir, "dir is null");
    Objects.requireNonNull(status, "status is null");
    Objects.requireNonNull(kind, "kind is null");
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(platform, "platform is null");
    Objects.requireNonNull(registry, "registry is null");
    Objects.requireNonNull(record, "record is null");
  }

  /**
   * Returns a copy with another size.
   *
   * @param bytes the size in bytes
   * @return the copy
   */
  public StoredImage withSizeBytes(long bytes) {
    return new StoredImage(dir, status, kind, reference, platform, registry, bytes, record);
  }
}
