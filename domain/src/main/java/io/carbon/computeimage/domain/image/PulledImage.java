package io.carbon.computeimage.domain.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An image that was pulled completely: its directory and its record. Opaque to callers; get paths
 * from it with the facade's {@code vmPathsFromImage}.
 *
 * @since 0.1
 */
public final class PulledImage {
  private final Path dir;
  private final ImageRecord record;

  /**
   * Creates the value.
   *
   * @param dir the image directory
   * @param record the record read from or written into it
   */
  public PulledImage(Path dir, ImageRecord record) {
    this.dir = Objects.requireNonNull(dir, "dir is null");
    this.record = Objects.requireNonNull(record, "record is null");
  }

  /** @return the image directory */
  public Path dir() {
    return dir;
  }

  /** @return {@code vm} or {@code container} */
  public String kind() {
    return record.kind();
  }

  /** @return the normalized reference */
  public String reference() {
    return record.reference();
  }

  /** @return the record */
  public ImageRecord record() {
    return record;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PulledImage
        && ((PulledImage) o).dir.equals(dir)
        && ((PulledImage) o).record.equals(record);
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, record);
  }

  @Override
  public String toString() {
    return record.kind() + " " + record.reference() + " (" + record.platform() + ") at " + dir;
  }
}
