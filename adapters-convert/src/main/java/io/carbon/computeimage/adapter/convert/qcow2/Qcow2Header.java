package io.carbon.computeimage.adapter.convert.qcow2;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The validated fields of a qcow2 header (version 2 or 3) that a reader needs.
 *
 * @param version 2 or 3
 * @param clusterBits log2 of the cluster size, 9..21
 * @param virtualSize the guest disk size in bytes
 * @param l1Size entries in the L1 table
 * @param l1Offset file offset of the L1 table
 * @param refcountTableOffset file offset of the refcount table
 * @param refcountTableClusters clusters used by the refcount table
 * @param compressionType 0 zlib (raw deflate), 1 zstd
 * @param extendedL2 whether L2 entries are 128 bits with 32 subclusters
 * @see <a href="https://gitlab.com/qemu-project/qemu/-/blob/master/docs/interop/qcow2.txt">qcow2.txt</a>
 * @since 0.1
 */
public record Qcow2Header(
    int version,
    int clusterBits,
    long virtualSize,
    int l1Size,
    long l1Offset,
    long refcountTableOffset,
    int refcountTableClusters,
    int compressionType,
    boolean extendedL2) {
  /** The magic {@code QFI\xfb}. */
  public static final int MAGIC = 0x514649fb;
  /** Bytes of a version 2 header. */
  public static final int V2_LENGTH = 72;
  /** Largest L1 table qemu creates or accepts (32 MiB). */
  public static final long MAX_L1_BYTES = 32L << 20;
  /** Largest virtual size accepted (64 PiB). */
  public static final long MAX_VIRTUAL_SIZE = 1L << 56;

  private static final long INCOMPAT_DIRTY = 1;
  private static final long INCOMPAT_CORRUPT = 2;
  private static final long INCOMPAT_EXTERNAL_DATA = 4;
  private static final long INCOMPAT_COMPRESSION = 8;
  private static final long INCOMPAT_EXTENDED_L2 = 16;
  private static final long INCOMPAT_KNOWN =
      INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_EXTERNAL_DATA | INCOMPAT_COMPRESSION
          | INCOMPAT_EXTENDED_L2;

  /** @return the cluster size in bytes */
  public int clusterSize() {
    return 1 << clusterBits;
  }

  /** @return bytes per L2 entry: 8, or 16 with extended L2 */
  public int l2EntryBytes() {
    return extendedL2 ? 16 : 8;
  }

  /** @return entries per L2 table */
  public int l2Entries() {
    return clusterSize() / l2EntryBytes();
  }

  /**
   * Parses and validates a header.
   *
   * @param head the first bytes of the file: at least the first cluster, or the whole file when it
   *     is shorter (position 0, any order)
   * @param fileSize the file size
   * @param name the file name for messages
   * @return the header
   * @throws ComputeImageException MalformedImageException or UnsupportedFeatureException
   */
  public static Qcow2Header parse(ByteBuffer head, long fileSize, String name)
      throws ComputeImageException {
    ByteBuffer b = head.duplicate().order(ByteOrder.BIG_ENDIAN);
    b.position(0);
    int avail = b.limit();
    if (avail < V2_LENGTH || fileSize < V2_LENGTH) {
      throw Qcow2Errors.malformed(name, "truncated header: the file has " + fileSize
          + " bytes, a qcow2 header needs at least " + V2_LENGTH);
    }
    if (b.getInt(0) != MAGIC) {
      throw Qcow2Errors.malformed(name, String.format("bad magic 0x%08x (want QFI\\xfb)",
          b.getInt(0)));
    }
    int version = b.getInt(4);
    if (version != 2 && version != 3) {
      throw Qcow2Errors.unsupported(name, "version " + Integer.toUnsignedString(version)
          + " (only 2 and 3 are supported)");
    }
    long backingOffset = b.getLong(8);
    int backingSize = b.getInt(16);
    int clusterBits = b.getInt(20);
    long size = b.getLong(24);
    int cryptMethod = b.getInt(32);
    int l1Size = b.getInt(36);
    long l1Offset = b.getLong(40);
    long refOffset = b.getLong(48);
    int refClusters = b.getInt(56);
    if (clusterBits < 9 || clusterBits > 21) {
      throw Qcow2Errors.malformed(name, "cluster_bits " + Integer.toUnsignedString(clusterBits)
          + " outside 9..21");
    }
    int clusterSize = 1 << clusterBits;
    long incompat = 0;
    int headerLength = V2_LENGTH;
    int compressionType = 0;
    if (version == 3) {
      if (avail < 104) {
        throw Qcow2Errors.malformed(name, "truncated version 3 header: " + avail
            + " bytes available, need 104");
      }
      incompat = b.getLong(72);
      int refcountOrder = b.getInt(96);
      headerLength = b.getInt(100);
      if (headerLength < 104 || headerLength > clusterSize || headerLength > avail) {
        throw Qcow2Errors.malformed(name, "header_length " + Integer.toUnsignedString(
            headerLength) + " outside 104.." + Math.min(clusterSize, avail));
      }
      if (refcountOrder < 0 || refcountOrder > 6) {
        throw Qcow2Errors.malformed(name, "refcount_order " + refcountOrder + " outside 0..6");
      }
      if (headerLength > 104) {
        compressionType = b.get(104) & 0xff;
      }
    }
    if (backingOffset != 0) {
      String backing = "";
      if (backingSize > 0 && backingSize <= 1023 && backingOffset > 0
          && backingOffset + backingSize <= avail) {
        byte[] nb = new byte[backingSize];
        b.get((int) backingOffset, nb);
        backing = " '" + new String(nb, StandardCharsets.UTF_8) + "'";
      }
      throw Qcow2Errors.unsupported(name, "it has a backing file" + backing
          + "; flatten it first (qemu-img convert -O qcow2)");
    }
    if (cryptMethod != 0) {
      throw Qcow2Errors.unsupported(name, "it is encrypted (crypt_method "
          + (cryptMethod == 1 ? "AES" : cryptMethod == 2 ? "LUKS"
              : Integer.toUnsignedString(cryptMethod)) + ")");
    }
    if ((incompat & INCOMPAT_EXTERNAL_DATA) != 0) {
      throw Qcow2Errors.unsupported(name, "it keeps its data in an external data file");
    }
    if ((incompat & INCOMPAT_CORRUPT) != 0) {
      throw Qcow2Errors.malformed(name, "the image is marked corrupt (incompatible feature bit"
          + " 1); run qemu-img check -r all");
    }
    if ((incompat & ~INCOMPAT_KNOWN) != 0) {
      throw Qcow2Errors.unsupported(name, String.format(
          "unknown incompatible features 0x%x", incompat & ~INCOMPAT_KNOWN));
    }
    if ((incompat & INCOMPAT_COMPRESSION) == 0 && compressionType != 0) {
      throw Qcow2Errors.malformed(name, "compression_type " + compressionType
          + " without the compression type feature bit");
    }
    if (compressionType > 1) {
      throw Qcow2Errors.unsupported(name, "compression_type " + compressionType
          + " (only 0 zlib and 1 zstd are defined)");
    }
    boolean extendedL2 = (incompat & INCOMPAT_EXTENDED_L2) != 0;
    if (extendedL2 && clusterBits < 14) {
      throw Qcow2Errors.malformed(name, "extended L2 entries need clusters of 16 KiB or more, "
          + "cluster_bits is " + clusterBits);
    }
    if (size < 0 || size > MAX_VIRTUAL_SIZE) {
      throw Qcow2Errors.malformed(name, "virtual size " + Long.toUnsignedString(size)
          + " outside 0.." + MAX_VIRTUAL_SIZE);
    }
    // L1 table
    long l2Entries = clusterSize / (extendedL2 ? 16 : 8);
    long bytesPerL1 = l2Entries * clusterSize;
    long needed = (size + bytesPerL1 - 1) / bytesPerL1;
    long l1 = Integer.toUnsignedLong(l1Size);
    if (l1 < needed) {
      throw Qcow2Errors.malformed(name, "l1_size " + l1 + " too small for the virtual size "
          + size + " (needs " + needed + ")");
    }
    if (l1 * 8 > MAX_L1_BYTES) {
      throw Qcow2Errors.malformed(name, "l1_size " + l1 + " exceeds the maximum of "
          + MAX_L1_BYTES / 8 + " entries");
    }
    if (l1 > 0) {
      checkTable(name, "l1_table_offset", l1Offset, l1 * 8, clusterSize, fileSize);
    }
    long rc = Integer.toUnsignedLong(refClusters);
    if (refOffset != 0 || rc != 0) {
      if (rc * clusterSize > fileSize) {
        throw Qcow2Errors.malformed(name, "refcount_table_clusters " + rc
            + " exceed the file size " + fileSize);
      }
      checkTable(name, "refcount_table_offset", refOffset, rc * clusterSize, clusterSize,
          fileSize);
    }
    checkExtensions(b, headerLength, Math.min(clusterSize, avail), name);
    return new Qcow2Header(version, clusterBits, size, (int) l1, l1Offset, refOffset, (int) rc,
        compressionType, extendedL2);
  }

  private static void checkTable(String name, String field, long offset, long bytes,
      int clusterSize, long fileSize) throws ComputeImageException {
    if (offset <= 0 || (offset & (clusterSize - 1)) != 0) {
      throw Qcow2Errors.malformed(name, field + " 0x" + Long.toHexString(offset)
          + " is not a cluster-aligned offset after the header");
    }
    if (offset > fileSize || bytes > fileSize - offset) {
      throw Qcow2Errors.malformed(name, field + " 0x" + Long.toHexString(offset) + " with "
          + bytes + " bytes lies past the end of the file (" + fileSize + " bytes)");
    }
  }

  private static void checkExtensions(ByteBuffer b, int start, int end, String name)
      throws ComputeImageException {
    int pos = start;
    for (int i = 0; pos + 8 <= end; i++) {
      int type = b.getInt(pos);
      long len = Integer.toUnsignedLong(b.getInt(pos + 4));
      if (type == 0) {
        return;
      }
      if (len > end - pos - 8) {
        throw Qcow2Errors.malformed(name, String.format(
            "header extension 0x%08x at byte %d has length %d past the first cluster", type, pos,
            len));
      }
      pos += 8 + (int) ((len + 7) & ~7L);
      if (i > 4096) {
        throw Qcow2Errors.malformed(name, "too many header extensions");
      }
    }
  }
}
