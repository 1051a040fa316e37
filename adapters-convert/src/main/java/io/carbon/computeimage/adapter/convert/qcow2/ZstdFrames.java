package io.carbon.computeimage.adapter.convert.qcow2;

/**
 * Finds the exact length of zstd frames in a buffer, so a decoder that rejects trailing bytes
 * (aircompressor) gets one frame at a time. qcow2 pads compressed clusters to 512-byte sectors,
 * and a zstd cluster may in principle hold several frames (QEMU decodes frames until the cluster
 * is full); skippable frames are skipped.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8878">RFC 8878: Zstandard</a>
 * @since 0.1
 */
public final class ZstdFrames {
  /** The magic of a zstd frame, little-endian. */
  public static final int FRAME_MAGIC = 0xFD2FB528;
  private static final int SKIPPABLE_MASK = 0xFFFFFFF0;
  private static final int SKIPPABLE_MAGIC = 0x184D2A50;

  private ZstdFrames() {}

  /** Marks a skippable frame in the result of {@link #frameLength}. */
  public static final long SKIPPABLE = 1L << 62;

  /**
   * Returns the length of the frame starting at {@code off}, or of a skippable frame ORed with
   * {@link #SKIPPABLE}.
   *
   * @param buf the bytes
   * @param off the frame start
   * @param end the end of valid bytes
   * @return the frame length in bytes (possibly ORed with {@link #SKIPPABLE})
   * @throws IllegalArgumentException when the bytes are not a complete zstd frame
   */
  public static long frameLength(byte[] buf, int off, int end) {
    if (end - off < 4) {
      throw new IllegalArgumentException("truncated zstd frame magic");
    }
    int magic = le32(buf, off);
    if ((magic & SKIPPABLE_MASK) == SKIPPABLE_MAGIC) {
      if (end - off < 8) {
        throw new IllegalArgumentException("truncated skippable frame header");
      }
      long len = 8 + Integer.toUnsignedLong(le32(buf, off + 4));
      if (len > end - off) {
        throw new IllegalArgumentException("skippable frame of " + len + " bytes is truncated");
      }
      return len | SKIPPABLE;
    }
    if (magic != FRAME_MAGIC) {
      throw new IllegalArgumentException(String.format("bad zstd magic 0x%08x", magic));
    }
    int p = off + 4;
    if (p >= end) {
      throw new IllegalArgumentException("truncated zstd frame header");
    }
    int fhd = buf[p++] & 0xff;
    int fcsFlag = fhd >>> 6;
    boolean singleSegment = (fhd & 0x20) != 0;
    boolean checksum = (fhd & 0x04) != 0;
    int dictFlag = fhd & 0x03;
    if ((fhd & 0x08) != 0) {
      throw new IllegalArgumentException("zstd frame header reserved bit set");
    }
    int headerRest = (singleSegment ? 0 : 1)
        + (dictFlag == 3 ? 4 : dictFlag)
        + (fcsFlag == 0 ? (singleSegment ? 1 : 0) : 1 << fcsFlag);
    p += headerRest;
    while (true) {
      if (p + 3 > end) {
        throw new IllegalArgumentException("truncated zstd block header");
      }
      int bh = (buf[p] & 0xff) | (buf[p + 1] & 0xff) << 8 | (buf[p + 2] & 0xff) << 16;
      p += 3;
      boolean last = (bh & 1) != 0;
      int type = (bh >>> 1) & 3;
      int size = bh >>> 3;
      switch (type) {
        case 0, 2 -> p += size;
        case 1 -> p += 1;
        default -> throw new IllegalArgumentException("reserved zstd block type");
      }
      if (p > end) {
        throw new IllegalArgumentException("truncated zstd block");
      }
      if (last) {
        break;
      }
    }
    if (checksum) {
      p += 4;
      if (p > end) {
        throw new IllegalArgumentException("truncated zstd frame checksum");
      }
    }
    return p - off;
  }

  private static int le32(byte[] b, int o) {
    return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16
        | (b[o + 3] & 0xff) << 24;
  }
}
