package io.carbon.computeimage.adapter.convert.partition;

import java.util.List;

/**
 * The partitions of a disk, in partition-number order.
 *
 * @param scheme how the disk is partitioned
 * @param partitions the partitions (one entry, number 0, for {@link PartitionScheme#NONE})
 * @param notes facts worth telling the user, for example that the backup GPT header was used
 * @since 0.1
 */
public record PartitionTable(PartitionScheme scheme, List<Partition> partitions, List<String> notes) {
  /** Copies the lists. */
  public PartitionTable {
    partitions = List.copyOf(partitions);
    notes = List.copyOf(notes);
  }
}
