package io.carbon.computeimage.domain.image;

/**
 * The state of an image directory.
 *
 * @since 0.1
 */
public enum ImageStatus {
  /** A pull completed: the record is present. */
  READY,
  /** Files are present but no record: a pull was interrupted or is running. */
  INCOMPLETE
}
