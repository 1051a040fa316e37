package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.util.Arrays;

/**
 * One EXTENT_DATA item of a file.
 *
 * @param fileOffset the file offset it starts at
 * @param length how many file bytes it covers
 * @param type 0 inline, 1 regular, 2 prealloc
 * @param compression 0 none, 1 zlib, 2 lzo, 3 zstd
 * @param ramBytes the uncompressed size of the whole (disk or inline) extent
 * @param inline the inline data, for inline extents
 * @param diskBytenr logical address of the disk extent (0 = hole)
 * @param diskNumBytes size of the disk extent
 * @param offset offset into the uncompressed extent where this item's data starts
 */
record BtrfsFileExtent(
    long fileOffset,
    long length,
    int type,
    int compression,
    long ramBytes,
    byte[] inline,
    long diskBytenr,
    long diskNumBytes,
    long offset) {

  static final int INLINE = 0;
  static final int REGULAR = 1;
  static final int PREALLOC = 2;
  /** The largest uncompressed size of a compressed or inline extent this reader accepts. */
  static final long MAX_COMPRESSED = 1 << 20;

  static BtrfsFileExtent parse(BtrfsItem item, long ino) throws MalformedDiskIOException {
    byte[] d = item.data();
    String w = "file extent of inode " + ino + " at " + item.key().offset();
    long fileOffset = item.key().offset();
    long ramBytes = Le.u64(d, 8, w);
    int compression = Le.u8(d, 16, w);
    int encryption = Le.u8(d, 17, w);
    int other = Le.u16(d, 18, w);
    int type = Le.u8(d, 20, w);
    if (encryption != 0 || other != 0) {
      throw new MalformedDiskIOException("btrfs " + w + " is encrypted or encoded (not supported)");
    }
    if (compression > BtrfsDecompressor.ZSTD) {
      throw new MalformedDiskIOException("btrfs " + w + " has compression type " + compression);
    }
    if (fileOffset < 0) {
      throw new MalformedDiskIOException("btrfs " + w + " has a negative file offset");
    }
    if (type == INLINE) {
      byte[] data = Arrays.copyOfRange(d, 21, d.length);
      if (ramBytes < 0 || ramBytes > MAX_COMPRESSED
          || (compression == 0 && ramBytes != data.length)) {
        throw new MalformedDiskIOException("btrfs " + w + " has inline size " + ramBytes);
      }
      return new BtrfsFileExtent(fileOffset, ramBytes, type, compression, ramBytes, data, 0, 0, 0);
    }
    if (type != REGULAR && type != PREALLOC) {
      throw new MalformedDiskIOException("btrfs " + w + " has type " + type);
    }
    long diskBytenr = Le.u64(d, 21, w);
    long diskNumBytes = Le.u64(d, 29, w);
    long offset = Le.u64(d, 37, w);
    long numBytes = Le.u64(d, 45, w);
    if (numBytes <= 0 || offset < 0 || diskNumBytes < 0 || diskBytenr < 0
        || fileOffset + numBytes < 0) {
      throw new MalformedDiskIOException("btrfs " + w + " has invalid sizes");
    }
    if (compression != 0 && diskBytenr != 0) {
      if (ramBytes <= 0 || ramBytes > MAX_COMPRESSED || diskNumBytes > MAX_COMPRESSED
          || offset + numBytes > ramBytes) {
        throw new MalformedDiskIOException("btrfs compressed " + w + " has invalid sizes");
      }
    }
    return new BtrfsFileExtent(
        fileOffset, numBytes, type, compression, ramBytes, null, diskBytenr, diskNumBytes, offset);
  }
}
