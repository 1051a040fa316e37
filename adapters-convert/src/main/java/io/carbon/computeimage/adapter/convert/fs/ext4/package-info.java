/**
 * A read-only ext2/ext3/ext4 reader: extents and block maps, 32- and 64-bit group descriptors,
 * flex_bg and meta_bg, htree directories (read as linear leaves), inline data, fast and slow
 * symlinks. Checksums are not verified (metadata_csum, csum_seed and orphan_file are tolerated).
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.fs.ext4;
