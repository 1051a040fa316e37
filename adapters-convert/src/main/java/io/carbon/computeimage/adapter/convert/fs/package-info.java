/**
 * Read-only filesystem readers (ext4, XFS, btrfs, FAT) behind one node-level API, and a
 * path resolver that follows symlinks inside the filesystem with loop detection.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.fs;
