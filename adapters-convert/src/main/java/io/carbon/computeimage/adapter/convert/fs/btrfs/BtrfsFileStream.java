package io.carbon.computeimage.adapter.convert.fs.btrfs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** A btrfs file's content: extents in file order, holes and prealloc extents as zeros. */
final class BtrfsFileStream extends InputStream {
  private final BtrfsFilesystem fs;
  private final BtrfsNode node;
  private final BtrfsFileExtent[] extents;
  private long pos;
  private int cachedIndex = -1;
  private byte[] cached;

  BtrfsFileStream(BtrfsFilesystem fs, BtrfsNode node, BtrfsFileExtent[] extents) {
    this.fs = fs;
    this.node = node;
    this.extents = extents;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    long left = node.size() - pos;
    if (left <= 0) {
      return -1;
    }
    int n = (int) Math.min(len, left);
    int i = find(pos);
    if (i < 0) {
      int next = -i - 1;
      long stop = next < extents.length ? extents[next].fileOffset() : Long.MAX_VALUE;
      n = (int) Math.min(n, stop - pos);
      Arrays.fill(b, off, off + n, (byte) 0);
    } else {
      BtrfsFileExtent e = extents[i];
      long within = pos - e.fileOffset();
      n = (int) Math.min(n, e.length() - within);
      if (e.type() == BtrfsFileExtent.INLINE) {
        byte[] data = e.compression() == 0 ? e.inline() : decompressed(i, e.inline());
        copyOrZero(data, within, b, off, n);
      } else if (e.type() == BtrfsFileExtent.PREALLOC || e.diskBytenr() == 0) {
        Arrays.fill(b, off, off + n, (byte) 0);
      } else if (e.compression() == 0) {
        fs.readLogical(e.diskBytenr() + e.offset() + within, b, off, n);
      } else {
        byte[] data = decompressed(i, null);
        copyOrZero(data, e.offset() + within, b, off, n);
      }
    }
    pos += n;
    return n;
  }

  private static void copyOrZero(byte[] src, long from, byte[] dst, int off, int n) {
    int avail = (int) Math.max(0, Math.min(n, src.length - from));
    if (avail > 0) {
      System.arraycopy(src, (int) from, dst, off, avail);
    }
    Arrays.fill(dst, off + avail, off + n, (byte) 0);
  }

  private byte[] decompressed(int i, byte[] inline) throws IOException {
    if (cachedIndex != i) {
      BtrfsFileExtent e = extents[i];
      byte[] raw = inline;
      if (raw == null) {
        raw = new byte[(int) e.diskNumBytes()];
        fs.readLogical(e.diskBytenr(), raw, 0, raw.length);
      }
      cached = BtrfsDecompressor.decompress(e.compression(), raw, (int) e.ramBytes(), fs.sectorSize());
      cachedIndex = i;
    }
    return cached;
  }

  /** Index of the extent containing {@code p}, or {@code -(insertion point) - 1}. */
  private int find(long p) {
    int lo = 0;
    int hi = extents.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      BtrfsFileExtent e = extents[mid];
      if (p < e.fileOffset()) {
        hi = mid - 1;
      } else if (p >= e.fileOffset() + e.length()) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  @Override
  public long skip(long n) {
    long k = Math.max(0, Math.min(n, node.size() - pos));
    pos += k;
    return k;
  }
}
