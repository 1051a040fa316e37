package io.carbon.computeimage.adapter.convert.fuzz;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import java.nio.ByteBuffer;

/** A block device over a byte array, for fuzzing. */
final class ByteArrayDevice implements BlockDevice {
  private final byte[] data;

  ByteArrayDevice(byte[] data) {
    this.data = data;
  }

  @Override
  public long size() {
    return data.length;
  }

  @Override
  public int read(long offset, ByteBuffer dst) {
    if (offset >= data.length) {
      return 0;
    }
    int n = (int) Math.min(dst.remaining(), data.length - offset);
    dst.put(data, (int) offset, n);
    return n;
  }

  @Override
  public void close() {}
}
