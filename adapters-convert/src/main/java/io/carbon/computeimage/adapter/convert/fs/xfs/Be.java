package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;

/** Bounds-checked big-endian field access on a structure read from disk. */
final class Be {
  private Be() {}

  static void check(byte[] b, int off, int len, String what) throws MalformedDiskIOException {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new MalformedDiskIOException(
          "XFS " + what + ": field at " + off + " (+" + len + ") lies outside its "
              + b.length + "-byte structure");
    }
  }

  static int u8(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 1, what);
    return b[off] & 0xff;
  }

  static int u16(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 2, what);
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  static long u32(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 4, what);
    return ((long) (b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  static long u64(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Reads an unsigned big-endian number of {@code width} (1, 2, 4 or 8) bytes. */
  static long uN(byte[] b, int off, int width, String what) throws MalformedDiskIOException {
    switch (width) {
      case 1:
        return u8(b, off, what);
      case 2:
        return u16(b, off, what);
      case 4:
        return u32(b, off, what);
      case 8:
        return u64(b, off, what);
      default:
        throw new IllegalArgumentException("width " + width);
    }
  }
}
