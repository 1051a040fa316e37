package io.carbon.computeimage.adapter.convert.qcow2;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A qcow2 image (version 2 or 3) opened read-only. Supports zlib and zstd compressed clusters,
 * zero clusters, unallocated clusters (read as zero) and extended L2 entries (subclusters); refuses
 * backing files, encryption and external data files.
 *
 * <p>Every offset read from the file is checked before use: table offsets must be aligned and lie
 * inside the file, L2 tables must not overlap the header, the L1 table, the refcount table or
 * each other, and data clusters must not point into metadata. Allocations are bounded by the file
 * size and by the cluster size (at most 2 MiB), never by a size read from the file alone.
 *
 * <p>Thread-safe: {@link #read} and {@link #readClusters} may run concurrently.
 *
 * @since 0.1
 */
public final class Qcow2Image implements Closeable {
  private static final long L1_RESERVED = 0x7f000000000001feL;
  private static final long L2_RESERVED = 0x3f000000000001feL;
  private static final long OFFSET_MASK = 0x00fffffffffffe00L;
  private static final long COMPRESSED = 1L << 62;
  private static final int MAX_SPAN = 4 << 20;

  private final FileChannel channel;
  private final String name;
  private final long fileSize;
  private final Qcow2Header header;
  private final int clusterBits;
  private final int clusterSize;
  private final long[] l2Offsets;
  private final long[] metaStart;
  private final long[] metaEnd;
  private final String[] metaWhat;
  private final ConcurrentHashMap<Integer, long[]> l2Cache = new ConcurrentHashMap<>();
  private final int l2CacheMax;
  private final ThreadLocal<Context> contexts = ThreadLocal.withInitial(Context::new);

  /** Per-thread decoding state: a codec and scratch buffers (bounded by the cluster size). */
  public final class Context {
    private final ClusterCodec codec = new ClusterCodec();
    private byte[] scratch = new byte[0];
    private final byte[] cluster = new byte[clusterSize];
    private long cachedCluster = -1;

    private byte[] scratch(int n) {
      if (scratch.length < n) {
        scratch = new byte[n];
      }
      return scratch;
    }
  }

  private Qcow2Image(FileChannel channel, String name, long fileSize, Qcow2Header header,
      long[] l2Offsets, long[][] meta, String[] metaWhat) {
    this.channel = channel;
    this.name = name;
    this.fileSize = fileSize;
    this.header = header;
    this.clusterBits = header.clusterBits();
    this.clusterSize = header.clusterSize();
    this.l2Offsets = l2Offsets;
    this.metaStart = meta[0];
    this.metaEnd = meta[1];
    this.metaWhat = metaWhat;
    this.l2CacheMax = Math.max(4, (16 << 20) / clusterSize);
  }

  /**
   * Opens and validates an image.
   *
   * @param file the image
   * @return the image
   * @throws MalformedImageException when malformed
   * @throws UnsupportedFeatureException when using a refused feature
   * @throws IOException when the file cannot be read
   */
  public static Qcow2Image open(Path file) throws IOException, ComputeImageException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return open(ch, file.toString());
    } catch (IOException | ComputeImageException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Opens and validates an image from an open channel (closed with the image).
   *
   * @param ch the channel
   * @param name the name for messages
   * @return the image
   * @throws ComputeImageException MalformedImageException or UnsupportedFeatureException
   * @throws IOException when unreadable
   */
  public static Qcow2Image open(FileChannel ch, String name)
      throws IOException, ComputeImageException {
    long fileSize = ch.size();
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(fileSize, 512));
    readFully(ch, head, 0);
    head.flip();
    if (head.limit() >= 24 && head.getInt(0) == Qcow2Header.MAGIC) {
      int cb = head.getInt(20);
      if (cb >= 9 && cb <= 21) {
        head = ByteBuffer.allocate((int) Math.min(fileSize, Math.max(512, 1 << cb)));
        readFully(ch, head, 0);
        head.flip();
      }
    }
    Qcow2Header h = Qcow2Header.parse(head, fileSize, name);
    int cs = h.clusterSize();
    long bytesPerL1 = (long) h.l2Entries() * cs;
    int needed = (int) ((h.virtualSize() + bytesPerL1 - 1) / bytesPerL1);
    long[] l2 = new long[needed];
    ByteBuffer l1buf = ByteBuffer.allocate(needed * 8).order(ByteOrder.BIG_ENDIAN);
    readFully(ch, l1buf, h.l1Offset());
    l1buf.flip();
    if (l1buf.remaining() < needed * 8) {
      throw Qcow2Errors.malformed(name, "L1 table at 0x" + Long.toHexString(h.l1Offset())
          + " is truncated");
    }
    int count = 0;
    for (int i = 0; i < needed; i++) {
      long e = l1buf.getLong();
      if ((e & L1_RESERVED) != 0) {
        throw Qcow2Errors.malformed(name, String.format(
            "L1 entry %d (0x%016x) has reserved bits set", i, e));
      }
      long off = e & OFFSET_MASK;
      if (off == 0) {
        continue;
      }
      if ((off & (cs - 1)) != 0) {
        throw Qcow2Errors.malformed(name, String.format(
            "L1 entry %d: L2 table offset 0x%x is not cluster aligned", i, off));
      }
      if (off > fileSize - cs) {
        throw Qcow2Errors.malformed(name, String.format(
            "L1 entry %d: L2 table offset 0x%x lies past the end of the file (%d bytes)", i, off,
            fileSize));
      }
      l2[i] = off;
      count++;
    }
    // metadata ranges: header cluster, L1, refcount table, L2 tables; they must not overlap
    int n = 3 + count;
    long[][] ranges = new long[n][];
    String[] what = new String[n];
    int k = 0;
    ranges[k] = new long[] {0, cs};
    what[k++] = "the header cluster";
    if (h.l1Size() > 0) {
      ranges[k] = new long[] {h.l1Offset(), h.l1Offset() + (long) h.l1Size() * 8};
      what[k++] = "the L1 table";
    }
    if (h.refcountTableClusters() > 0) {
      ranges[k] = new long[] {h.refcountTableOffset(),
          h.refcountTableOffset() + (long) h.refcountTableClusters() * cs};
      what[k++] = "the refcount table";
    }
    for (int i = 0; i < needed; i++) {
      if (l2[i] != 0) {
        ranges[k] = new long[] {l2[i], l2[i] + cs};
        what[k++] = "the L2 table of L1 entry " + i;
      }
    }
    Integer[] order = new Integer[k];
    for (int i = 0; i < k; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ranges[a][0], ranges[b][0]));
    long[] starts = new long[k];
    long[] ends = new long[k];
    String[] whats = new String[k];
    for (int i = 0; i < k; i++) {
      starts[i] = ranges[order[i]][0];
      ends[i] = ranges[order[i]][1];
      whats[i] = what[order[i]];
      if (i > 0 && starts[i] < ends[i - 1]) {
        throw Qcow2Errors.malformed(name, String.format(
            "%s at 0x%x overlaps %s at 0x%x (a cycle in the metadata)", whats[i], starts[i],
            whats[i - 1], starts[i - 1]));
      }
    }
    return new Qcow2Image(ch, name, fileSize, h, l2, new long[][] {starts, ends}, whats);
  }

  /** @return the validated header */
  public Qcow2Header header() {
    return header;
  }

  /** @return the file name used in messages */
  public String name() {
    return name;
  }

  /** @return the guest-visible size */
  public long virtualSize() {
    return header.virtualSize();
  }

  /** @return the cluster size */
  public int clusterSize() {
    return clusterSize;
  }

  /** @return the number of L1 entries covering the virtual size */
  public int l1Entries() {
    return l2Offsets.length;
  }

  /**
   * Tells whether an L1 entry has an L2 table (otherwise its whole range reads as zero).
   *
   * @param l1Index the L1 index
   * @return true when allocated
   */
  public boolean hasL2(int l1Index) {
    return l2Offsets[l1Index] != 0;
  }

  /** @return the calling thread's decoding context */
  public Context context() {
    return contexts.get();
  }

  /**
   * Reads an L2 table: {@link Qcow2Header#l2Entries()} entries, two longs each with extended L2.
   *
   * @param l1Index the L1 index
   * @return the raw entries, or {@code null} when the L1 entry is unallocated
   * @throws MalformedImageException when truncated
   * @throws IOException on read failure
   */
  public long[] readL2(int l1Index) throws IOException, MalformedImageException {
    long off = l2Offsets[l1Index];
    if (off == 0) {
      return null;
    }
    ByteBuffer b = ByteBuffer.allocate(clusterSize).order(ByteOrder.BIG_ENDIAN);
    readFully(channel, b, off);
    if (b.position() < clusterSize) {
      throw Qcow2Errors.malformed(name, String.format("L2 table at 0x%x is truncated", off));
    }
    b.flip();
    long[] e = new long[clusterSize / 8];
    b.asLongBuffer().get(e);
    return e;
  }

  private long[] cachedL2(int l1Index) throws IOException, MalformedImageException {
    long[] t = l2Cache.get(l1Index);
    if (t == null) {
      t = readL2(l1Index);
      if (l2Cache.size() >= l2CacheMax) {
        l2Cache.clear();
      }
      l2Cache.put(l1Index, t);
    }
    return t;
  }

  /**
   * Decodes {@code count} consecutive guest clusters of one L2 table into {@code out} (whole
   * clusters; zero and unallocated clusters are written as zeros).
   *
   * @param l1Index the L1 index, for messages
   * @param l2 the table from {@link #readL2}, or {@code null} for an unallocated L1 entry
   * @param first the first L2 index
   * @param count the number of clusters
   * @param out the output
   * @param outOff where the first cluster goes
   * @param ctx the calling thread's context
   * @return bytes of data that may be non-zero (compressed or allocated clusters)
   * @throws MalformedImageException when the image is malformed
   * @throws IOException when unreadable
   */
  public long readClusters(int l1Index, long[] l2, int first, int count, byte[] out, int outOff,
      Context ctx) throws IOException, MalformedImageException {
    if (l2 == null) {
      Arrays.fill(out, outOff, outOff + count * clusterSize, (byte) 0);
      return 0;
    }
    boolean ext = header.extendedL2();
    long data = 0;
    int i = first;
    int end = first + count;
    while (i < end) {
      long e = ext ? l2[2 * i] : l2[i];
      int o = outOff + (i - first) * clusterSize;
      if ((e & COMPRESSED) != 0) {
        int j = i + 1;
        long spanStart = compressedStart(e);
        long spanEnd = compressedEnd(e, l1Index, i);
        while (j < end) {
          long f = ext ? l2[2 * j] : l2[j];
          if ((f & COMPRESSED) == 0) {
            break;
          }
          long s = compressedStart(f);
          long en = compressedEnd(f, l1Index, j);
          if (s < spanEnd - 512 || s > spanEnd + 4096 || en - spanStart > MAX_SPAN) {
            break;
          }
          spanEnd = Math.max(spanEnd, en);
          j++;
        }
        byte[] buf = ctx.scratch((int) (spanEnd - spanStart));
        int got = readAt(buf, 0, (int) (spanEnd - spanStart), spanStart);
        for (int c = i; c < j; c++) {
          long f = ext ? l2[2 * c] : l2[c];
          int s = (int) (compressedStart(f) - spanStart);
          int len = (int) (Math.min(compressedEnd(f, l1Index, c), spanStart + got) - spanStart) - s;
          try {
            ctx.codec.decompress(header.compressionType(), buf, s, Math.max(0, len), out,
                outOff + (c - first) * clusterSize, clusterSize);
          } catch (IllegalArgumentException ex) {
            throw Qcow2Errors.malformed(name, String.format(
                "compressed cluster %d (host offset 0x%x): %s", guestCluster(l1Index, c),
                compressedStart(f), ex.getMessage()), ex);
          }
        }
        data += (long) (j - i) * clusterSize;
        i = j;
        continue;
      }
      if ((e & L2_RESERVED) != 0 || (ext && (e & 1) != 0)) {
        throw Qcow2Errors.malformed(name, String.format(
            "L2 entry %d of L1 entry %d (0x%016x) has reserved bits set", i, l1Index, e));
      }
      long host = e & OFFSET_MASK;
      if (ext) {
        long bitmap = l2[2 * i + 1];
        decodeSubclusters(l1Index, i, host, bitmap, out, o);
        data += host != 0 ? clusterSize : 0;
        i++;
        continue;
      }
      if (host == 0 || (e & 1) != 0) {
        Arrays.fill(out, o, o + clusterSize, (byte) 0);
        i++;
        continue;
      }
      checkData(host, l1Index, i);
      int j = i + 1;
      while (j < end && (j - i) * (long) clusterSize < MAX_SPAN) {
        long f = l2[j];
        if ((f & (COMPRESSED | L2_RESERVED | 1)) != 0
            || (f & OFFSET_MASK) != host + (long) (j - i) * clusterSize) {
          break;
        }
        checkData(f & OFFSET_MASK, l1Index, j);
        j++;
      }
      int len = (j - i) * clusterSize;
      int got = readAt(out, o, len, host);
      Arrays.fill(out, o + got, o + len, (byte) 0);
      data += len;
      i = j;
    }
    return data;
  }

  private void decodeSubclusters(int l1Index, int i, long host, long bitmap, byte[] out, int o)
      throws IOException, MalformedImageException {
    int alloc = (int) bitmap;
    int zero = (int) (bitmap >>> 32);
    if ((alloc & zero) != 0) {
      throw Qcow2Errors.malformed(name, String.format(
          "extended L2 entry %d of L1 entry %d marks subclusters both allocated and zero (0x%x)",
          i, l1Index, bitmap));
    }
    if (alloc != 0 && host == 0) {
      throw Qcow2Errors.malformed(name, String.format(
          "extended L2 entry %d of L1 entry %d has allocated subclusters but no host offset", i,
          l1Index));
    }
    if (alloc == 0) {
      Arrays.fill(out, o, o + clusterSize, (byte) 0);
      return;
    }
    checkData(host, l1Index, i);
    int got = readAt(out, o, clusterSize, host);
    Arrays.fill(out, o + got, o + clusterSize, (byte) 0);
    int sub = clusterSize / 32;
    for (int s = 0; s < 32; s++) {
      if ((alloc & (1 << s)) == 0) {
        Arrays.fill(out, o + s * sub, o + (s + 1) * sub, (byte) 0);
      }
    }
  }

  private long guestCluster(int l1Index, int l2Index) {
    return (long) l1Index * header.l2Entries() + l2Index;
  }

  private long compressedStart(long e) {
    int x = 62 - (clusterBits - 8);
    return e & ((1L << x) - 1);
  }

  private long compressedEnd(long e, int l1Index, int l2Index) throws MalformedImageException {
    int x = 62 - (clusterBits - 8);
    long start = e & ((1L << x) - 1);
    long sectors = ((e >>> x) & ((1L << (clusterBits - 8)) - 1)) + 1;
    long end = (start & ~511L) + sectors * 512;
    if (start < clusterSize || start >= fileSize || end - fileSize >= 512) {
      throw Qcow2Errors.malformed(name, String.format(
          "compressed cluster %d: data at 0x%x..0x%x lies outside the file's data area (%d bytes)",
          guestCluster(l1Index, l2Index), start, end, fileSize));
    }
    checkOverlap(start, Math.min(end, fileSize), l1Index, l2Index, "compressed data");
    return end;
  }

  private void checkData(long host, int l1Index, int l2Index) throws MalformedImageException {
    if ((host & (clusterSize - 1)) != 0) {
      throw Qcow2Errors.malformed(name, String.format(
          "data cluster %d: host offset 0x%x is not cluster aligned",
          guestCluster(l1Index, l2Index), host));
    }
    if (host >= fileSize) {
      throw Qcow2Errors.malformed(name, String.format(
          "data cluster %d: host offset 0x%x lies past the end of the file (%d bytes)",
          guestCluster(l1Index, l2Index), host, fileSize));
    }
    checkOverlap(host, host + clusterSize, l1Index, l2Index, "data cluster");
  }

  private void checkOverlap(long start, long end, int l1Index, int l2Index, String kind)
      throws MalformedImageException {
    int idx = Arrays.binarySearch(metaStart, start);
    int cand = idx >= 0 ? idx : -idx - 2;
    for (int c = Math.max(0, cand); c < metaStart.length && metaStart[c] < end; c++) {
      if (metaEnd[c] > start) {
        throw Qcow2Errors.malformed(name, String.format(
            "%s of guest cluster %d at 0x%x points into %s (a cycle in the metadata)", kind,
            guestCluster(l1Index, l2Index), start, metaWhat[c]));
      }
    }
  }

  /**
   * Reads guest bytes (holes as zero); the {@code BlockDevice} contract.
   *
   * @param offset the guest offset
   * @param dst the buffer to fill
   * @return bytes read, 0 at or past the end
   * @throws MalformedImageException when malformed
   * @throws IOException when unreadable
   */
  public int read(long offset, ByteBuffer dst) throws IOException, MalformedImageException {
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset " + offset);
    }
    Context ctx = contexts.get();
    long size = header.virtualSize();
    int total = 0;
    while (dst.hasRemaining() && offset + total < size) {
      long pos = offset + total;
      long guestCluster = pos >>> clusterBits;
      int in = (int) (pos & (clusterSize - 1));
      int n = (int) Math.min(Math.min(clusterSize - in, dst.remaining()), size - pos);
      int l1Index = (int) (guestCluster / header.l2Entries());
      int l2Index = (int) (guestCluster % header.l2Entries());
      long[] l2 = cachedL2(l1Index);
      long e = l2 == null ? 0 : header.extendedL2() ? l2[2 * l2Index] : l2[l2Index];
      boolean plain = l2 != null && !header.extendedL2() && (e & COMPRESSED) == 0
          && (e & L2_RESERVED) == 0;
      if (l2 == null || (plain && ((e & OFFSET_MASK) == 0 || (e & 1) != 0))) {
        for (int z = 0; z < n; z++) {
          dst.put((byte) 0);
        }
      } else if (plain) {
        long host = e & OFFSET_MASK;
        checkData(host, l1Index, l2Index);
        ByteBuffer slice = dst.duplicate();
        slice.limit(slice.position() + n);
        int got = 0;
        while (slice.hasRemaining()) {
          int r = channel.read(slice, host + in + got);
          if (r < 0) {
            break;
          }
          got += r;
        }
        while (slice.hasRemaining()) {
          slice.put((byte) 0);
        }
        dst.position(dst.position() + n);
      } else {
        if (ctx.cachedCluster != guestCluster) {
          ctx.cachedCluster = -1;
          readClusters(l1Index, l2, l2Index, 1, ctx.cluster, 0, ctx);
          ctx.cachedCluster = guestCluster;
        }
        dst.put(ctx.cluster, in, n);
      }
      total += n;
    }
    return total;
  }

  private int readAt(byte[] buf, int off, int len, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf, off, len);
    return readFully(channel, b, pos);
  }

  private static int readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    int start = b.position();
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position() - start);
      if (n < 0) {
        break;
      }
    }
    return b.position() - start;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
