package io.carbon.computeimage.adapter.convert.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A raw disk image file as a block device (positional reads, safe from several threads). */
public final class RawFileDevice implements BlockDevice {
  private final FileChannel channel;
  private final long size;

  private RawFileDevice(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  /**
   * Opens a raw image read-only.
   *
   * @param file the image file
   * @return the device
   * @throws IOException when the file cannot be opened
   */
  public static RawFileDevice open(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new RawFileDevice(ch, ch.size());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    if (offset < 0) {
      throw new MalformedDiskIOException("negative offset " + offset);
    }
    int total = 0;
    while (dst.hasRemaining() && offset + total < size) {
      int n = channel.read(dst, offset + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
