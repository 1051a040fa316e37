package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;

/**
 * One data fork mapping: {@code count} blocks at file block {@code fileBlock} live at filesystem
 * block {@code fsBlock}; unwritten (preallocated) extents read as zeros.
 *
 * @param fileBlock the first file block
 * @param fsBlock the first filesystem block
 * @param count the number of blocks
 * @param unwritten whether the extent is preallocated but unwritten
 */
record XfsExtent(long fileBlock, long fsBlock, long count, boolean unwritten) {
  /** The on-disk size of a packed extent record. */
  static final int SIZE = 16;

  /**
   * Unpacks a 128-bit big-endian extent record.
   *
   * @param b the buffer
   * @param off the record's offset
   * @return the extent
   * @throws MalformedDiskIOException when the record lies outside the buffer or is empty
   */
  static XfsExtent unpack(byte[] b, int off) throws MalformedDiskIOException {
    long l0 = Be.u64(b, off, "extent record");
    long l1 = Be.u64(b, off + 8, "extent record");
    boolean unwritten = (l0 >>> 63) != 0;
    long startOff = (l0 & 0x7fffffffffffffffL) >>> 9;
    long startBlock = ((l0 & 0x1ffL) << 43) | (l1 >>> 21);
    long count = l1 & 0x1fffffL;
    if (count == 0) {
      throw new MalformedDiskIOException("XFS extent record at file block " + startOff + " is empty");
    }
    return new XfsExtent(startOff, startBlock, count, unwritten);
  }
}
