package io.carbon.computeimage.testkit.disk;

/**
 * What {@link DiskImageBuilder} puts inside a partition.
 *
 * @since 0.1
 */
public enum FsType {
  /** ext4, made and populated with {@code mkfs.ext4 -d}. */
  EXT4,
  /** XFS, made with {@code mkfs.xfs} and populated through a loop mount. */
  XFS,
  /** btrfs, made and populated with {@code mkfs.btrfs --rootdir} (at least 114 MiB). */
  BTRFS,
  /** FAT32/FAT16, made with {@code mkfs.vfat} and populated with {@code mcopy} (mtools). */
  VFAT,
  /** No filesystem: the partition holds the {@link Fill} pattern given to the partition. */
  NONE
}
