package io.carbon.computeimage.adapter.convert.block;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A window (a partition) of another block device. Closing it does not close the parent. */
public final class SliceDevice implements BlockDevice {
  private final BlockDevice parent;
  private final long start;
  private final long length;

  /**
   * Creates a slice.
   *
   * @param parent the whole device
   * @param start the first byte of the slice on the parent
   * @param length the slice length
   * @throws MalformedDiskIOException when the slice does not lie within the parent
   */
  public SliceDevice(BlockDevice parent, long start, long length) throws MalformedDiskIOException {
    if (start < 0 || length < 0 || start > parent.size() || length > parent.size() - start) {
      throw new MalformedDiskIOException(
          "partition at byte " + start + " of length " + length + " lies outside the disk ("
              + parent.size() + " bytes)");
    }
    this.parent = parent;
    this.start = start;
    this.length = length;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    if (offset < 0) {
      throw new MalformedDiskIOException("negative offset " + offset);
    }
    if (offset >= length) {
      return 0;
    }
    long max = length - offset;
    if (dst.remaining() > max) {
      ByteBuffer limited = dst.duplicate();
      limited.limit(limited.position() + (int) max);
      int n = parent.read(start + offset, limited);
      dst.position(dst.position() + Math.max(n, 0));
      return n;
    }
    return parent.read(start + offset, dst);
  }

  @Override
  public void close() {
    // the parent owns the resource
  }
}
