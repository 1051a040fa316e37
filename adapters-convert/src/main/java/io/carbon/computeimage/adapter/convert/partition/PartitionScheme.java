package io.carbon.computeimage.adapter.convert.partition;

/** How a disk is partitioned. */
public enum PartitionScheme {
  /** A GUID partition table. */
  GPT,
  /** A DOS master boot record, possibly with logical partitions. */
  MBR,
  /** No partition table: a filesystem spans the whole disk. */
  NONE
}
