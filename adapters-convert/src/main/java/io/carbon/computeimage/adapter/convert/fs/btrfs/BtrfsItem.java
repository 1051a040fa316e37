package io.carbon.computeimage.adapter.convert.fs.btrfs;

/**
 * A leaf item: its key and a copy of its data.
 *
 * @param key the key
 * @param data the item data
 */
record BtrfsItem(BtrfsKey key, byte[] data) {}
