package io.carbon.computeimage.ports.disk;

/**
 * What a converter guarantees about the output once it has been renamed into place.
 *
 * @since 0.1
 */
public enum Durability {
  /**
   * The data is flushed to stable storage (fdatasync) before the rename: after a crash or power
   * loss the destination is either absent or complete. The default.
   */
  FLUSHED,
  /**
   * The data may still be in the page cache when the rename happens, as with {@code qemu-img
   * convert} or {@code cp}: faster, and safe against a killed process, but a power loss soon after
   * may leave a damaged file under the final name.
   */
  PAGE_CACHE
}
