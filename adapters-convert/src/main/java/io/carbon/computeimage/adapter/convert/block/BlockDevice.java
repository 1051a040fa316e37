package io.carbon.computeimage.adapter.convert.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A read-only, random-access view of a guest disk's bytes (its virtual size, holes read as zero).
 *
 * <p>Implementations must be safe for concurrent {@link #read} calls from several threads.
 */
public interface BlockDevice extends Closeable {
  /**
   * Returns the guest-visible size.
   *
   * @return the size in bytes
   */
  long size();

  /**
   * Reads bytes at a guest offset into {@code dst}, filling it completely unless the end of the
   * device is reached first.
   *
   * @param offset the guest offset, 0 &lt;= offset
   * @param dst the buffer to fill from its position to its limit
   * @return the number of bytes read, 0 at or past the end
   * @throws IOException on I/O failure or a malformed image (as {@code MalformedDiskIOException})
   */
  int read(long offset, ByteBuffer dst) throws IOException;

  /**
   * Reads exactly {@code length} bytes at {@code offset}.
   *
   * @param offset the guest offset
   * @param length the number of bytes, at most the remaining size
   * @return a new array of {@code length} bytes
   * @throws IOException on I/O failure, or when the range passes the end of the device
   */
  default byte[] readFully(long offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset > size() - length) {
      throw new MalformedDiskIOException(
          "read of " + length + " bytes at offset " + offset + " passes the end of the disk ("
              + size() + " bytes)");
    }
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      int n = read(offset + buf.position(), buf);
      if (n <= 0) {
        throw new MalformedDiskIOException("short read at offset " + (offset + buf.position()));
      }
    }
    return buf.array();
  }
}
