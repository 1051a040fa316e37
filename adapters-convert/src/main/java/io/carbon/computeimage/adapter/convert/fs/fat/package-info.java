/**
 * A read-only FAT12/16/32 reader with VFAT long names (EFI system partitions).
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.fs.fat;
