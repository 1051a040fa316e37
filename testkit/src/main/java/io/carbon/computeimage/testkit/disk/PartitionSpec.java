package io.carbon.computeimage.testkit.disk;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One partition for {@link DiskImageBuilder}. Create with {@link #of(FsType, long)} or {@link
 * #rest(FsType)} and refine with the {@code with*} methods.
 *
 * @param fs the filesystem (or {@link FsType#NONE})
 * @param sizeBytes the size, a multiple of 1 MiB, or 0 for "the rest of the disk"
 * @param type the partition type
 * @param name the GPT partition name, or {@code null}
 * @param label the filesystem label, or {@code null}
 * @param content a directory whose tree is copied into the filesystem, or {@code null}
 * @param fill the raw content when {@code fs} is {@link FsType#NONE}
 * @param seed seed for RANDOM/COMPRESSIBLE fills
 * @param bootable sets the MBR active flag (MBR only)
 * @since 0.1
 */
public record PartitionSpec(
    FsType fs,
    long sizeBytes,
    PartitionType type,
    String name,
    String label,
    Path content,
    Fill fill,
    long seed,
    boolean bootable) {
  private static final long MIB = 1 << 20;

  /** Validates the components. */
  public PartitionSpec {
    Objects.requireNonNull(fs, "fs is null");
    Objects.requireNonNull(type, "type is null");
    Objects.requireNonNull(fill, "fill is null");
    if (sizeBytes < 0 || sizeBytes % MIB != 0) {
      throw new IllegalArgumentException("partition size must be a multiple of 1 MiB: " + sizeBytes);
    }
  }

  /**
   * A partition of a fixed size holding {@code fs}.
   *
   * @param fs the filesystem
   * @param sizeBytes the size (multiple of 1 MiB)
   * @return the spec (type LINUX, or EFI_SYSTEM for VFAT)
   */
  public static PartitionSpec of(FsType fs, long sizeBytes) {
    PartitionType t = fs == FsType.VFAT ? PartitionType.EFI_SYSTEM : PartitionType.LINUX;
    return new PartitionSpec(fs, sizeBytes, t, null, null, null, Fill.HOLE, 1, false);
  }

  /**
   * A partition taking the rest of the disk.
   *
   * @param fs the filesystem
   * @return the spec
   */
  public static PartitionSpec rest(FsType fs) {
    return of(fs, 0);
  }

  /** @param t the type @return a copy with this partition type */
  public PartitionSpec withType(PartitionType t) {
    return new PartitionSpec(fs, sizeBytes, t, name, label, content, fill, seed, bootable);
  }

  /** @param n the GPT name @return a copy with this GPT partition name */
  public PartitionSpec withName(String n) {
    return new PartitionSpec(fs, sizeBytes, type, n, label, content, fill, seed, bootable);
  }

  /** @param l the label @return a copy with this filesystem label */
  public PartitionSpec withLabel(String l) {
    return new PartitionSpec(fs, sizeBytes, type, name, l, content, fill, seed, bootable);
  }

  /** @param dir the tree @return a copy whose filesystem is populated from {@code dir} */
  public PartitionSpec withContent(Path dir) {
    return new PartitionSpec(fs, sizeBytes, type, name, label, dir, fill, seed, bootable);
  }

  /**
   * @param f the fill
   * @param s the seed
   * @return a copy with this raw fill (only used with {@link FsType#NONE})
   */
  public PartitionSpec withFill(Fill f, long s) {
    return new PartitionSpec(fs, sizeBytes, type, name, label, content, f, s, bootable);
  }

  /** @return a copy marked bootable (MBR active flag) */
  public PartitionSpec asBootable() {
    return new PartitionSpec(fs, sizeBytes, type, name, label, content, fill, seed, true);
  }
}
