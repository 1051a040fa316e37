package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;

/**
 * A bounds-checked LZO1X decompressor (the format the Linux kernel's lzo1x compressor writes and
 * btrfs stores), written from the format description: literal runs, four match encodings (M1 to
 * M4) with trailing-literal counts, and the M4 end-of-stream marker.
 */
final class Lzo1xDecompressor {
  private final byte[] in;
  private final int inEnd;
  private int ip;
  private final byte[] out;
  private final int outEnd;
  private int op;
  private final int outStart;

  private Lzo1xDecompressor(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen) {
    this.in = in;
    this.ip = inOff;
    this.inEnd = inOff + inLen;
    this.out = out;
    this.op = outOff;
    this.outStart = outOff;
    this.outEnd = outOff + outLen;
  }

  /**
   * Decompresses one LZO1X stream.
   *
   * @param in compressed bytes
   * @param inOff offset of the stream
   * @param inLen length of the stream
   * @param out destination
   * @param outOff where output starts
   * @param outLen the most bytes to produce
   * @return the number of bytes produced
   * @throws MalformedDiskIOException on a malformed stream or output overrun
   */
  static int decompress(byte[] in, int inOff, int inLen, byte[] out, int outOff, int outLen)
      throws MalformedDiskIOException {
    if (inOff < 0 || inLen < 0 || inOff > in.length - inLen || outOff < 0 || outLen < 0
        || outOff > out.length - outLen) {
      throw new MalformedDiskIOException("LZO buffer bounds are invalid");
    }
    Lzo1xDecompressor d = new Lzo1xDecompressor(in, inOff, inLen, out, outOff, outLen);
    d.run();
    return d.op - outOff;
  }

  private int next() throws MalformedDiskIOException {
    if (ip >= inEnd) {
      throw new MalformedDiskIOException("LZO stream is truncated");
    }
    return in[ip++] & 0xff;
  }

  /** Reads a length extension: each zero byte adds 255, then the non-zero byte is added. */
  private int extension() throws MalformedDiskIOException {
    int total = 0;
    int b;
    while ((b = next()) == 0) {
      total += 255;
      if (total > outEnd) {
        throw new MalformedDiskIOException("LZO length extension is too long");
      }
    }
    return total + b;
  }

  private void literals(int n) throws MalformedDiskIOException {
    if (n > inEnd - ip) {
      throw new MalformedDiskIOException("LZO literal run passes the end of the input");
    }
    if (n > outEnd - op) {
      throw new MalformedDiskIOException("LZO output is longer than expected");
    }
    System.arraycopy(in, ip, out, op, n);
    ip += n;
    op += n;
  }

  private void match(int distance, int length) throws MalformedDiskIOException {
    int from = op - distance;
    if (distance <= 0 || from < outStart) {
      throw new MalformedDiskIOException("LZO match distance " + distance + " reaches before the output");
    }
    if (length > outEnd - op) {
      throw new MalformedDiskIOException("LZO output is longer than expected");
    }
    for (int i = 0; i < length; i++) {
      out[op + i] = out[from + i];
    }
    op += length;
  }

  private void run() throws MalformedDiskIOException {
    int state = 0;
    if (ip < inEnd && (in[ip] & 0xff) > 17) {
      int t = next() - 17;
      literals(t);
      state = t < 4 ? t : 4;
    }
    while (true) {
      int t = next();
      int length;
      int distance;
      int trailing;
      if (t < 16) {
        if (state == 0) {
          int len = t == 0 ? 15 + extension() : t;
          literals(len + 3);
          state = 4;
          continue;
        }
        int h = next();
        trailing = t & 3;
        if (state < 4) {
          length = 2;
          distance = (h << 2) + ((t >> 2) & 3) + 1;
        } else {
          length = 3;
          distance = (h << 2) + ((t >> 2) & 3) + 2049;
        }
      } else if (t < 32) {
        int len = t & 7;
        length = (len == 0 ? 7 + extension() : len) + 2;
        int v = next();
        v |= next() << 8;
        int d = ((t & 8) << 11) + (v >> 2);
        trailing = v & 3;
        if (d == 0) {
          if (length != 3) {
            throw new MalformedDiskIOException("LZO end-of-stream marker is malformed");
          }
          return;
        }
        distance = d + 16384;
      } else if (t < 64) {
        int len = t & 31;
        length = (len == 0 ? 31 + extension() : len) + 2;
        int v = next();
        v |= next() << 8;
        distance = (v >> 2) + 1;
        trailing = v & 3;
      } else {
        int h = next();
        distance = (h << 3) + ((t >> 2) & 7) + 1;
        trailing = t & 3;
        length = t < 128 ? 3 + ((t >> 5) & 1) : 5 + ((t >> 5) & 3);
      }
      match(distance, length);
      literals(trailing);
      state = trailing;
    }
  }
}
