package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;

/** Bounds-checked little-endian field access on a structure read from disk. */
final class Le {
  private Le() {}

  static void check(byte[] b, int off, int len, String what) throws MalformedDiskIOException {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new MalformedDiskIOException(
          "btrfs " + what + ": field at " + off + " (+" + len + ") lies outside its "
              + b.length + "-byte structure");
    }
  }

  static int u8(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 1, what);
    return b[off] & 0xff;
  }

  static int u16(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 2, what);
    return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8);
  }

  static long u32(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 4, what);
    return (b[off] & 0xffL)
        | ((b[off + 1] & 0xffL) << 8)
        | ((b[off + 2] & 0xffL) << 16)
        | ((b[off + 3] & 0xffL) << 24);
  }

  static long u64(byte[] b, int off, String what) throws MalformedDiskIOException {
    check(b, off, 8, what);
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Formats 16 bytes as a UUID string. */
  static String uuid(byte[] b, int off) {
    StringBuilder s = new StringBuilder(36);
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        s.append('-');
      }
      s.append(String.format("%02x", b[off + i] & 0xff));
    }
    return s.toString();
  }
}
