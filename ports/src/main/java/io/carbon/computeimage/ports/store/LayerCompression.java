package io.carbon.computeimage.ports.store;

/**
 * How a layer blob is compressed, from its media type.
 *
 * @since 0.1
 */
public enum LayerCompression {
  /** A plain tar. */
  NONE,
  /** gzip (possibly multi-member). */
  GZIP,
  /** zstd (skippable frames allowed). */
  ZSTD
}
