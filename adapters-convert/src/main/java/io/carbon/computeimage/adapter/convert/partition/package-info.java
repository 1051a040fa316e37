/**
 * Partition tables: GPT (CRC-checked, with the backup header as fallback), MBR with extended and
 * logical partitions, and a bare filesystem with no table.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.partition;
