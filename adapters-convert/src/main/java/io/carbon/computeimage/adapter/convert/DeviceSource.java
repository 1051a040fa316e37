package io.carbon.computeimage.adapter.convert;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** Units of any block device (a raw file, the data of a fixed VHD), read with positional reads. */
final class DeviceSource implements UnitSource {
  private final BlockDevice device;
  private final int unitBytes;
  private final java.io.Closeable owner;

  DeviceSource(BlockDevice device, int unitBytes, java.io.Closeable owner) {
    this.device = device;
    this.unitBytes = unitBytes;
    this.owner = owner;
  }

  @Override
  public long size() {
    return device.size();
  }

  @Override
  public int unitBytes() {
    return unitBytes;
  }

  @Override
  public void forEachUnit(UnitSink sink) throws Exception {
    long size = device.size();
    for (long off = 0; off < size; off += unitBytes) {
      final long at = off;
      int len = (int) Math.min(unitBytes, size - off);
      sink.unit(off, len, buf -> {
        ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
        while (b.hasRemaining()) {
          int n = device.read(at + b.position(), b);
          if (n <= 0) {
            break;
          }
        }
        Arrays.fill(buf, b.position(), len, (byte) 0);
      });
    }
  }

  @Override
  public void close() throws IOException {
    owner.close();
  }
}
