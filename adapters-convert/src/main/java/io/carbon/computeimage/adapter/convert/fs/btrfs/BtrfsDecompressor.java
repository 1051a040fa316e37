package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses btrfs compressed extents: zlib (one zlib stream), lzo (btrfs's framing: a total
 * length, then per-sector segments each with a length, no segment header crossing a sector) and
 * zstd (one frame, followed by padding that must be ignored).
 */
final class BtrfsDecompressor {
  static final int ZLIB = 1;
  static final int LZO = 2;
  static final int ZSTD = 3;
  private static final int ZSTD_MAGIC = 0xFD2FB528;

  private BtrfsDecompressor() {}

  /**
   * Decompresses into a new array of exactly {@code outLen} bytes (short output is zero-filled, as
   * the kernel does).
   *
   * @param type the btrfs compression type
   * @param in the compressed bytes
   * @param outLen the uncompressed length
   * @param sectorSize the filesystem sector size (LZO framing)
   * @return the uncompressed bytes
   * @throws MalformedDiskIOException when the data does not decompress
   */
  static byte[] decompress(int type, byte[] in, int outLen, int sectorSize)
      throws MalformedDiskIOException {
    byte[] out = new byte[outLen];
    switch (type) {
      case ZLIB:
        zlib(in, out);
        break;
      case LZO:
        lzo(in, out, sectorSize);
        break;
      case ZSTD:
        zstd(in, out);
        break;
      default:
        throw new MalformedDiskIOException("btrfs compression type " + type + " is unknown");
    }
    return out;
  }

  private static void zlib(byte[] in, byte[] out) throws MalformedDiskIOException {
    Inflater inf = new Inflater();
    try {
      inf.setInput(in);
      int n = 0;
      while (n < out.length && !inf.finished()) {
        int k = inf.inflate(out, n, out.length - n);
        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
          break;
        }
        n += k;
      }
    } catch (DataFormatException e) {
      throw new MalformedDiskIOException("btrfs zlib extent is corrupt: " + e.getMessage(), e);
    } finally {
      inf.end();
    }
  }

  private static void lzo(byte[] in, byte[] out, int sectorSize) throws MalformedDiskIOException {
    String w = "lzo extent";
    long total = Le.u32(in, 0, w);
    if (total < 4 || total > in.length) {
      throw new MalformedDiskIOException("btrfs lzo extent claims " + total + " bytes of " + in.length);
    }
    int p = 4;
    int produced = 0;
    while (p < total && produced < out.length) {
      int left = sectorSize - (p % sectorSize);
      if (left < 4) {
        p += left;
        if (p >= total) {
          break;
        }
      }
      long seg = Le.u32(in, p, w);
      p += 4;
      if (seg == 0 || seg > total - p) {
        throw new MalformedDiskIOException("btrfs lzo segment of " + seg + " bytes is invalid");
      }
      produced += Lzo1xDecompressor.decompress(
          in, p, (int) seg, out, produced, Math.min(sectorSize, out.length - produced));
      p += (int) seg;
    }
  }

  private static void zstd(byte[] in, byte[] out) throws MalformedDiskIOException {
    ZstdDecompressor z = new ZstdDecompressor();
    int p = 0;
    int produced = 0;
    while (p + 4 <= in.length && produced < out.length) {
      int magic = (int) Le.u32(in, p, "zstd extent");
      if (magic != ZSTD_MAGIC) {
        if ((magic & 0xFFFFFFF0) == 0x184D2A50) {
          p += 8 + (int) Math.min(in.length, Le.u32(in, p + 4, "zstd extent"));
          continue;
        }
        break; // sector padding
      }
      int len = zstdFrameLength(in, p);
      try {
        produced += z.decompress(in, p, len, out, produced, out.length - produced);
      } catch (RuntimeException e) {
        throw new MalformedDiskIOException("btrfs zstd extent is corrupt: " + e.getMessage(), e);
      }
      p += len;
    }
  }

  /**
   * Measures one zstd frame from its header and block headers, so that padding after it is not
   * handed to the decoder.
   *
   * @param b the buffer
   * @param off the frame's first byte (its magic)
   * @return the frame length
   * @throws MalformedDiskIOException when the frame is truncated or malformed
   */
  static int zstdFrameLength(byte[] b, int off) throws MalformedDiskIOException {
    String w = "zstd frame";
    int fhd = Le.u8(b, off + 4, w);
    int fcsFlag = fhd >>> 6;
    boolean single = (fhd & 0x20) != 0;
    boolean checksum = (fhd & 0x04) != 0;
    int dictFlag = fhd & 3;
    long p = off + 5L;
    if (!single) {
      p++;
    }
    p += new int[] {0, 1, 2, 4}[dictFlag];
    p += fcsFlag == 0 ? (single ? 1 : 0) : new int[] {0, 2, 4, 8}[fcsFlag];
    while (true) {
      if (p + 3 > b.length) {
        throw new MalformedDiskIOException("btrfs zstd frame is truncated");
      }
      int hdr = Le.u8(b, (int) p, w) | Le.u8(b, (int) p + 1, w) << 8 | Le.u8(b, (int) p + 2, w) << 16;
      p += 3;
      int type = (hdr >>> 1) & 3;
      int size = hdr >>> 3;
      if (type == 3) {
        throw new MalformedDiskIOException("btrfs zstd frame has a reserved block type");
      }
      p += type == 1 ? 1 : size;
      if ((hdr & 1) != 0) {
        break;
      }
    }
    if (checksum) {
      p += 4;
    }
    if (p > b.length) {
      throw new MalformedDiskIOException("btrfs zstd frame is truncated");
    }
    return (int) (p - off);
  }
}
