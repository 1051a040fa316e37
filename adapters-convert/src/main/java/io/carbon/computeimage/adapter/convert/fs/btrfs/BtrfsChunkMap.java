package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.util.Map;
import java.util.TreeMap;

/** Maps btrfs logical addresses to device offsets for SINGLE and DUP chunks of one device. */
final class BtrfsChunkMap {
  static final int MAX_CHUNKS = 1 << 20;
  private static final long RAID_MASK = 8 | 16 | 64 | 128 | 256 | 512 | 1024;
  private static final int CHUNK_SIZE = 48;
  private static final int STRIPE_SIZE = 32;

  /**
   * One chunk.
   *
   * @param logical first logical byte
   * @param length length in bytes
   * @param type block group type and profile bits
   * @param physical device offset of the first stripe
   */
  record Chunk(long logical, long length, long type, long physical) {}

  private final TreeMap<Long, Chunk> chunks = new TreeMap<>(Long::compareUnsigned);
  private final long devId;
  private final long deviceSize;

  BtrfsChunkMap(long devId, long deviceSize) {
    this.devId = devId;
    this.deviceSize = deviceSize;
  }

  /** Adds the chunks of the superblock's sys_chunk_array. */
  void addSysChunkArray(byte[] arr) throws MalformedDiskIOException {
    int p = 0;
    while (p < arr.length) {
      BtrfsKey key = BtrfsKey.parse(arr, p, "sys_chunk_array");
      if (key.type() != BtrfsKey.CHUNK_ITEM) {
        throw new MalformedDiskIOException("btrfs sys_chunk_array holds a key of type " + key.type());
      }
      p += BtrfsKey.SIZE;
      int n = Le.u16(arr, p + 44, "sys_chunk_array");
      int len = CHUNK_SIZE + n * STRIPE_SIZE;
      Le.check(arr, p, len, "sys_chunk_array");
      add(key.offset(), java.util.Arrays.copyOfRange(arr, p, p + len));
      p += len;
    }
  }

  /** Adds one chunk item (key offset = logical start). */
  void add(long logical, byte[] item) throws MalformedDiskIOException {
    String w = "chunk item at logical " + Long.toUnsignedString(logical);
    long length = Le.u64(item, 0, w);
    long type = Le.u64(item, 24, w);
    int numStripes = Le.u16(item, 44, w);
    if (length <= 0 || logical < 0 || logical + length < 0 || numStripes < 1
        || item.length < CHUNK_SIZE + numStripes * STRIPE_SIZE) {
      throw new MalformedDiskIOException("btrfs " + w + " is malformed");
    }
    long devid = Le.u64(item, CHUNK_SIZE, w);
    long physical = Le.u64(item, CHUNK_SIZE + 8, w);
    if (devid != devId) {
      throw new MalformedDiskIOException("btrfs " + w + " lies on device " + devid + ", not " + devId);
    }
    if (chunks.size() >= MAX_CHUNKS) {
      throw new MalformedDiskIOException("btrfs chunk tree has more than " + MAX_CHUNKS + " chunks");
    }
    Map.Entry<Long, Chunk> prev = chunks.floorEntry(logical);
    Map.Entry<Long, Chunk> next = chunks.higherEntry(logical);
    if ((prev != null && prev.getKey().longValue() != logical
            && prev.getValue().logical() + prev.getValue().length() > logical)
        || (next != null && logical + length > next.getKey())) {
      throw new MalformedDiskIOException("btrfs " + w + " overlaps another chunk");
    }
    chunks.put(logical, new Chunk(logical, length, type, physical));
  }

  /**
   * Maps a logical range that must lie within one chunk.
   *
   * @param logical the logical address
   * @param length the number of bytes
   * @return the device offset
   * @throws MalformedDiskIOException when unmapped, RAID, or outside the device
   */
  long map(long logical, long length) throws MalformedDiskIOException {
    Map.Entry<Long, Chunk> e = logical < 0 ? null : chunks.floorEntry(logical);
    if (e == null || logical - e.getValue().logical() >= e.getValue().length()) {
      throw new MalformedDiskIOException(
          "btrfs logical address " + Long.toUnsignedString(logical) + " is not in any chunk");
    }
    Chunk c = e.getValue();
    if ((c.type() & RAID_MASK) != 0) {
      throw new MalformedDiskIOException(
          "btrfs chunk at logical " + c.logical() + " uses a RAID profile (type 0x"
              + Long.toHexString(c.type()) + "); only SINGLE and DUP are supported");
    }
    long within = logical - c.logical();
    if (length > c.length() - within) {
      throw new MalformedDiskIOException(
          "btrfs range at logical " + logical + " (+" + length + ") crosses the end of its chunk");
    }
    long phys = c.physical() + within;
    if (phys < 0 || phys > deviceSize - length) {
      throw new MalformedDiskIOException(
          "btrfs logical address " + logical + " maps outside the device (" + phys + ")");
    }
    return phys;
  }

  /**
   * Returns how many bytes from {@code logical} lie in its chunk.
   */
  long remainingInChunk(long logical) throws MalformedDiskIOException {
    Map.Entry<Long, Chunk> e = logical < 0 ? null : chunks.floorEntry(logical);
    if (e == null || logical - e.getValue().logical() >= e.getValue().length()) {
      throw new MalformedDiskIOException(
          "btrfs logical address " + Long.toUnsignedString(logical) + " is not in any chunk");
    }
    return e.getValue().length() - (logical - e.getValue().logical());
  }
}
