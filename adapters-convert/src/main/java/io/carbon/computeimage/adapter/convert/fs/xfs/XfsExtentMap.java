package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The data fork mapping of one inode, read from the inode's extent list or its block-map B+tree,
 * sorted by file block and checked for overlaps.
 */
final class XfsExtentMap {
  private static final long BMAP_MAGIC = 0x424d4150L; // "BMAP" (v4)
  private static final long BMA3_MAGIC = 0x424d4133L; // "BMA3" (v5)
  private static final int MAX_LEVEL = 9;

  private final XfsExtent[] extents;

  private XfsExtentMap(XfsExtent[] extents) {
    this.extents = extents;
  }

  /**
   * Reads the mapping of an extents- or btree-format data fork.
   *
   * @param dev the device
   * @param sb the superblock
   * @param inode the inode
   * @return the mapping
   * @throws IOException on I/O failure or malformed structures
   */
  static XfsExtentMap read(BlockDevice dev, XfsSuperblock sb, XfsInode inode) throws IOException {
    List<XfsExtent> list = new ArrayList<>();
    if (inode.format == XfsInode.FORMAT_EXTENTS) {
      for (int i = 0; i < inode.dataExtents; i++) {
        list.add(XfsExtent.unpack(inode.fork, i * XfsExtent.SIZE));
      }
    } else if (inode.format == XfsInode.FORMAT_BTREE) {
      readBtree(dev, sb, inode, list);
    } else {
      throw new MalformedDiskIOException(
          "XFS inode " + inode.ino + " has no block mapping (format " + inode.format + ")");
    }
    XfsExtent[] arr = list.toArray(new XfsExtent[0]);
    java.util.Arrays.sort(arr, (a, b) -> Long.compare(a.fileBlock(), b.fileBlock()));
    long end = 0;
    for (XfsExtent e : arr) {
      if (e.fileBlock() < end) {
        throw new MalformedDiskIOException(
            "XFS inode " + inode.ino + " has overlapping extents at file block " + e.fileBlock());
      }
      // validates the start and end blocks
      sb.blockOffset(e.fsBlock());
      sb.blockOffset(e.fsBlock() + e.count() - 1);
      end = e.fileBlock() + e.count();
    }
    return new XfsExtentMap(arr);
  }

  private static void readBtree(BlockDevice dev, XfsSuperblock sb, XfsInode inode, List<XfsExtent> out)
      throws IOException {
    byte[] root = inode.fork;
    String w = "inode " + inode.ino + " bmap root";
    int level = Be.u16(root, 0, w);
    int numRecs = Be.u16(root, 2, w);
    int maxRecs = (root.length - 4) / 16;
    if (level < 1 || level > MAX_LEVEL || numRecs < 1 || numRecs > maxRecs) {
      throw new MalformedDiskIOException(
          "XFS inode " + inode.ino + " has a bmap root of level " + level + " with " + numRecs
              + " records");
    }
    Set<Long> visited = new HashSet<>();
    long limit = sb.dataBlocks() + 1;
    for (int i = 0; i < numRecs; i++) {
      long ptr = Be.u64(root, 4 + maxRecs * 8 + i * 8, w);
      walk(dev, sb, inode, ptr, level - 1, visited, out, limit);
    }
  }

  private static void walk(
      BlockDevice dev,
      XfsSuperblock sb,
      XfsInode inode,
      long fsBlock,
      int expectedLevel,
      Set<Long> visited,
      List<XfsExtent> out,
      long limit)
      throws IOException {
    if (!visited.add(fsBlock)) {
      throw new MalformedDiskIOException(
          "XFS inode " + inode.ino + " bmap btree visits block " + fsBlock + " twice (a cycle?)");
    }
    byte[] b = dev.readFully(sb.blockOffset(fsBlock), sb.blockSize());
    String w = "inode " + inode.ino + " bmap block " + fsBlock;
    long magic = Be.u32(b, 0, w);
    int hdr;
    if (sb.version() == 5) {
      if (magic != BMA3_MAGIC) {
        throw new MalformedDiskIOException("XFS " + w + " has no BMA3 magic");
      }
      hdr = 72;
      long owner = Be.u64(b, 56, w);
      if (owner != inode.ino) {
        throw new MalformedDiskIOException("XFS " + w + " belongs to inode " + owner);
      }
    } else {
      if (magic != BMAP_MAGIC) {
        throw new MalformedDiskIOException("XFS " + w + " has no BMAP magic");
      }
      hdr = 24;
    }
    int level = Be.u16(b, 4, w);
    int numRecs = Be.u16(b, 6, w);
    int maxRecs = (b.length - hdr) / 16;
    if (level != expectedLevel) {
      throw new MalformedDiskIOException(
          "XFS " + w + " has level " + level + ", expected " + expectedLevel);
    }
    if (numRecs < 1 || numRecs > maxRecs) {
      throw new MalformedDiskIOException("XFS " + w + " has " + numRecs + " records");
    }
    if (level == 0) {
      for (int i = 0; i < numRecs; i++) {
        out.add(XfsExtent.unpack(b, hdr + i * XfsExtent.SIZE));
        if (out.size() > limit) {
          throw new MalformedDiskIOException(
              "XFS inode " + inode.ino + " has more extents than the filesystem has blocks");
        }
      }
      return;
    }
    for (int i = 0; i < numRecs; i++) {
      long ptr = Be.u64(b, hdr + maxRecs * 8 + i * 8, w);
      walk(dev, sb, inode, ptr, level - 1, visited, out, limit);
    }
  }

  /**
   * Finds the extent containing a file block, or the index where it would be inserted.
   *
   * @param fileBlock the file block
   * @return the index of the containing extent, or {@code -(insertion point) - 1}
   */
  int find(long fileBlock) {
    int lo = 0;
    int hi = extents.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      XfsExtent e = extents[mid];
      if (fileBlock < e.fileBlock()) {
        hi = mid - 1;
      } else if (fileBlock >= e.fileBlock() + e.count()) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  XfsExtent get(int i) {
    return extents[i];
  }

  int count() {
    return extents.length;
  }
}
