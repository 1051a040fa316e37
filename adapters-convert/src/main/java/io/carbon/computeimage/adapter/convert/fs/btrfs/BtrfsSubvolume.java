package io.carbon.computeimage.adapter.convert.fs.btrfs;

/**
 * A subvolume's FS tree, from its ROOT_ITEM.
 *
 * @param id the tree (subvolume) id
 * @param root logical address of its root node
 * @param level the root node's level
 * @param rootDir the inode number of its top directory
 */
record BtrfsSubvolume(long id, long root, int level, long rootDir) {}
