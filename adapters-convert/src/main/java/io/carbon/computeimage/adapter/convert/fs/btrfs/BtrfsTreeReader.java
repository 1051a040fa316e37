package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads btrfs tree nodes (checksum, address, fsid, level and key order checked) and collects the
 * items of a key range. Child levels must decrease by one and each child's keys must lie within the
 * range its parent gives it, so no node is visited twice in one search and cycles are impossible.
 */
final class BtrfsTreeReader {
  static final int HEADER = 101;
  private static final int LEAF_ITEM = 25;
  private static final int KEY_PTR = 33;
  private static final int CACHE = 256;
  /** The most items one search may return before the tree is called malformed. */
  static final int MAX_ITEMS = 4_000_000;

  private final BlockDevice dev;
  private final BtrfsSuperblock sb;
  private final BtrfsChunkMap chunks;
  private final boolean verifyCsum;
  private final Map<Long, byte[]> cache =
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
          return size() > CACHE;
        }
      };

  BtrfsTreeReader(BlockDevice dev, BtrfsSuperblock sb, BtrfsChunkMap chunks, boolean verifyCsum) {
    this.verifyCsum = verifyCsum;
    this.dev = dev;
    this.sb = sb;
    this.chunks = chunks;
  }

  /**
   * Returns the items with lo &lt;= key &lt;= hi.
   *
   * @param root logical address of the tree's root node
   * @param level the root node's level
   * @param lo the smallest key
   * @param hi the largest key
   * @return the items in key order
   * @throws IOException on I/O failure or malformed nodes
   */
  List<BtrfsItem> range(long root, int level, BtrfsKey lo, BtrfsKey hi) throws IOException {
    List<BtrfsItem> out = new ArrayList<>();
    search(root, level, null, null, lo, hi, out);
    return out;
  }

  /** Returns the first item with lo &lt;= key &lt;= hi, or null. */
  BtrfsItem first(long root, int level, BtrfsKey lo, BtrfsKey hi) throws IOException {
    List<BtrfsItem> items = range(root, level, lo, hi);
    return items.isEmpty() ? null : items.get(0);
  }

  private void search(
      long logical,
      int level,
      BtrfsKey min,
      BtrfsKey maxExclusive,
      BtrfsKey lo,
      BtrfsKey hi,
      List<BtrfsItem> out)
      throws IOException {
    byte[] node = node(logical, level);
    String w = "tree node at " + Long.toUnsignedString(logical);
    int n = (int) Le.u32(node, 96, w);
    BtrfsKey prev = null;
    if (level == 0) {
      for (int i = 0; i < n; i++) {
        int p = HEADER + i * LEAF_ITEM;
        BtrfsKey key = BtrfsKey.parse(node, p, w);
        checkOrder(key, prev, min, maxExclusive, i, w);
        prev = key;
        if (key.compareTo(lo) < 0) {
          continue;
        }
        if (key.compareTo(hi) > 0) {
          break;
        }
        long off = Le.u32(node, p + 17, w);
        long size = Le.u32(node, p + 21, w);
        if (off + size > node.length - HEADER || off < (long) n * LEAF_ITEM) {
          throw new MalformedDiskIOException("btrfs " + w + " item " + i + " data lies outside the leaf");
        }
        int start = HEADER + (int) off;
        out.add(new BtrfsItem(key, Arrays.copyOfRange(node, start, start + (int) size)));
        if (out.size() > MAX_ITEMS) {
          throw new MalformedDiskIOException("btrfs search returns more than " + MAX_ITEMS + " items");
        }
      }
      return;
    }
    BtrfsKey[] keys = new BtrfsKey[n];
    for (int i = 0; i < n; i++) {
      keys[i] = BtrfsKey.parse(node, HEADER + i * KEY_PTR, w);
      checkOrder(keys[i], i == 0 ? null : keys[i - 1], min, maxExclusive, i, w);
    }
    for (int i = 0; i < n; i++) {
      BtrfsKey next = i + 1 < n ? keys[i + 1] : maxExclusive;
      if (next != null && next.compareTo(lo) <= 0) {
        continue;
      }
      if (keys[i].compareTo(hi) > 0) {
        break;
      }
      long child = Le.u64(node, HEADER + i * KEY_PTR + 17, w);
      search(child, level - 1, keys[i], next, lo, hi, out);
    }
  }

  private static void checkOrder(
      BtrfsKey key, BtrfsKey prev, BtrfsKey min, BtrfsKey maxExclusive, int i, String w)
      throws MalformedDiskIOException {
    if ((prev != null && key.compareTo(prev) <= 0)
        || (i == 0 && min != null && key.compareTo(min) != 0)
        || (min != null && key.compareTo(min) < 0)
        || (maxExclusive != null && key.compareTo(maxExclusive) >= 0)) {
      throw new MalformedDiskIOException(
          "btrfs " + w + " has key " + key + " out of order (slot " + i + ")");
    }
  }

  /** Reads and checks one node. */
  byte[] node(long logical, int level) throws IOException {
    if (level < 0 || level > BtrfsSuperblock.MAX_LEVEL) {
      throw new MalformedDiskIOException("btrfs tree level " + level + " is invalid");
    }
    byte[] node = cache.get(logical);
    if (node == null) {
      node = dev.readFully(chunks.map(logical, sb.nodeSize()), sb.nodeSize());
      verify(node, logical);
      cache.put(logical, node);
    }
    String w = "tree node at " + Long.toUnsignedString(logical);
    int actual = Le.u8(node, 100, w);
    if (actual != level) {
      throw new MalformedDiskIOException(
          "btrfs " + w + " has level " + actual + ", expected " + level);
    }
    long n = Le.u32(node, 96, w);
    long max = (node.length - HEADER) / (level == 0 ? LEAF_ITEM : KEY_PTR);
    if (n > max || (n == 0 && level > 0)) {
      throw new MalformedDiskIOException("btrfs " + w + " has " + n + " items");
    }
    return node;
  }

  private void verify(byte[] node, long logical) throws MalformedDiskIOException {
    String w = "tree node at " + Long.toUnsignedString(logical);
    if (sb.csumType() == 0 && verifyCsum) {
      CRC32C crc = new CRC32C();
      crc.update(node, 32, node.length - 32);
      if ((int) crc.getValue() != (int) Le.u32(node, 0, w)) {
        throw new MalformedDiskIOException("btrfs " + w + " checksum does not match");
      }
    }
    if (Le.u64(node, 48, w) != logical) {
      throw new MalformedDiskIOException(
          "btrfs " + w + " claims to be at " + Long.toUnsignedString(Le.u64(node, 48, w)));
    }
    if (!Arrays.equals(node, 32, 48, sb.metadataFsid(), 0, 16)) {
      throw new MalformedDiskIOException("btrfs " + w + " belongs to another filesystem");
    }
  }
}
