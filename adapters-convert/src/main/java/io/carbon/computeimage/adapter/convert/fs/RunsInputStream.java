package io.carbon.computeimage.adapter.convert.fs;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Streams exactly {@code size} bytes of a file described by sorted, non-overlapping {@link
 * DataRun}s; gaps between runs and after the last run read as zeros.
 */
public final class RunsInputStream extends InputStream {
  private final BlockDevice device;
  private final List<DataRun> runs;
  private final long size;
  private long pos;
  private int runIndex;

  /**
   * Creates the stream.
   *
   * @param device the device holding the data
   * @param runs runs sorted by file offset, not overlapping
   * @param size the file size
   */
  public RunsInputStream(BlockDevice device, List<DataRun> runs, long size) {
    this.device = device;
    this.runs = runs;
    this.size = size;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos >= size) {
      return -1;
    }
    while (runIndex < runs.size() && runs.get(runIndex).fileOffset() + runs.get(runIndex).length()
        <= pos) {
      runIndex++;
    }
    long want = Math.min(len, size - pos);
    if (runIndex >= runs.size() || runs.get(runIndex).fileOffset() > pos) {
      long holeEnd = runIndex >= runs.size() ? size : runs.get(runIndex).fileOffset();
      int n = (int) Math.min(want, holeEnd - pos);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      pos += n;
      return n;
    }
    DataRun run = runs.get(runIndex);
    long inRun = pos - run.fileOffset();
    int n = (int) Math.min(want, run.length() - inRun);
    if (run.isHole()) {
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
    } else {
      ByteBuffer buf = ByteBuffer.wrap(b, off, n);
      long at = run.deviceOffset() + inRun;
      while (buf.hasRemaining()) {
        int r = device.read(at + buf.position() - off, buf);
        if (r <= 0) {
          throw new MalformedDiskIOException("file data at device offset " + at
              + " lies past the end of the device (" + device.size() + " bytes)");
        }
      }
    }
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.max(0, Math.min(n, size - pos));
    pos += s;
    return s;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, size - pos);
  }
}
