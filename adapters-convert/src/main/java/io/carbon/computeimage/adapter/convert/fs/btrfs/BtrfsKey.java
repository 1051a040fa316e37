package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;

/**
 * A btrfs item key, ordered by objectid, type and offset (objectid and offset unsigned).
 *
 * @param objectId the object id
 * @param type the item type
 * @param offset the type-specific offset
 */
record BtrfsKey(long objectId, int type, long offset) implements Comparable<BtrfsKey> {
  static final int SIZE = 17;
  static final int INODE_ITEM = 1;
  static final int DIR_ITEM = 84;
  static final int DIR_INDEX = 96;
  static final int EXTENT_DATA = 108;
  static final int ROOT_ITEM = 132;
  static final int ROOT_REF = 156;
  static final int CHUNK_ITEM = 228;

  static BtrfsKey parse(byte[] b, int off, String what) throws MalformedDiskIOException {
    return new BtrfsKey(Le.u64(b, off, what), Le.u8(b, off + 8, what), Le.u64(b, off + 9, what));
  }

  /** The first key of an (objectid, type) range. */
  static BtrfsKey first(long objectId, int type) {
    return new BtrfsKey(objectId, type, 0);
  }

  /** The last key of an (objectid, type) range. */
  static BtrfsKey last(long objectId, int type) {
    return new BtrfsKey(objectId, type, -1L);
  }

  @Override
  public int compareTo(BtrfsKey o) {
    int c = Long.compareUnsigned(objectId, o.objectId);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(type, o.type);
    return c != 0 ? c : Long.compareUnsigned(offset, o.offset);
  }

  @Override
  public String toString() {
    return "(" + Long.toUnsignedString(objectId) + " " + type + " " + Long.toUnsignedString(offset) + ")";
  }
}
