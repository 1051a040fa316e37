package io.carbon.computeimage.testkit.disk;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A raw disk made by {@link DiskImageBuilder}.
 *
 * @param raw the raw disk file (sparse)
 * @param sizeBytes the disk size
 * @param gpt true for GPT, false for MBR
 * @param partitions the partitions in table order
 * @since 0.1
 */
public record BuiltDisk(Path raw, long sizeBytes, boolean gpt, List<Partition> partitions) {
  /** Copies the list. */
  public BuiltDisk {
    Objects.requireNonNull(raw, "raw is null");
    partitions = List.copyOf(partitions);
  }

  /**
   * A partition as placed on the disk.
   *
   * @param number the 1-based partition number
   * @param startBytes the first byte on the disk
   * @param sizeBytes the length
   * @param spec what was asked for
   */
  public record Partition(int number, long startBytes, long sizeBytes, PartitionSpec spec) {}

  /**
   * Converts the disk to qcow2 with qemu-img.
   *
   * @param qcow2 the output file
   * @param options version, cluster size, compression
   * @return {@code qcow2}
   */
  public Path toQcow2(Path qcow2, Qcow2Options options) {
    QemuImg.toQcow2(raw, qcow2, options);
    return qcow2;
  }
}
