package io.carbon.computeimage.ports.model;

/**
 * A disk image format the converters read or write.
 *
 * @since 0.1
 */
public enum DiskFormat {
  /** QEMU copy-on-write v2/v3. */
  QCOW2,
  /** A raw (sparse where possible) disk image. */
  RAW,
  /** A fixed-size VHD: raw data followed by a 512-byte footer (Hyper-V). */
  VHD_FIXED
}
