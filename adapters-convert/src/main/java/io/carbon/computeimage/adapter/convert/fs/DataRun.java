package io.carbon.computeimage.adapter.convert.fs;

/**
 * A contiguous piece of a file's content: {@code length} bytes at file offset {@code fileOffset},
 * stored at device offset {@code deviceOffset}, or a hole (read as zeros) when {@code deviceOffset}
 * is negative.
 *
 * @param fileOffset the offset in the file
 * @param deviceOffset the byte offset on the device, or -1 for a hole or unwritten extent
 * @param length the length in bytes
 */
public record DataRun(long fileOffset, long deviceOffset, long length) {
  /** @return true when the run reads as zeros */
  public boolean isHole() {
    return deviceOffset < 0;
  }
}
