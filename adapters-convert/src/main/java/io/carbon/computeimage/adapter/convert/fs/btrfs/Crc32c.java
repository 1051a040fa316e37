package io.carbon.computeimage.adapter.convert.fs.btrfs;

/** The raw CRC-32C register update (no pre- or post-inversion), as btrfs's name hash uses it. */
final class Crc32c {
  private static final int[] TABLE = new int[256];

  static {
    for (int i = 0; i < 256; i++) {
      int c = i;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
      }
      TABLE[i] = c;
    }
  }

  private Crc32c() {}

  static int update(int crc, byte[] data) {
    for (byte x : data) {
      crc = TABLE[(crc ^ x) & 0xff] ^ (crc >>> 8);
    }
    return crc;
  }

  /** The btrfs directory name hash. */
  static long nameHash(byte[] name) {
    return update(~1, name) & 0xffffffffL;
  }
}
