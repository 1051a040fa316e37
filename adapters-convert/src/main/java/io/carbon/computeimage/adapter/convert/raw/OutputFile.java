package io.carbon.computeimage.adapter.convert.raw;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An output disk written under a temporary name beside its destination and renamed into place
 * only by {@link #commit}; {@link #close} without commit deletes the temporary file. Positional
 * writes are safe from several threads.
 *
 * @since 0.1
 */
public final class OutputFile implements Closeable {
  /** Granularity of hole detection: 4 KiB, like {@code qemu-img convert -S 4k}. */
  public static final int SPARSE_BLOCK = 4096;
  private static final byte[] ZERO = new byte[SPARSE_BLOCK];

  private final Path destination;
  private final Path temp;
  private final FileChannel channel;
  private boolean committed;

  private OutputFile(Path destination, Path temp, FileChannel channel) {
    this.destination = destination;
    this.temp = temp;
    this.channel = channel;
  }

  /**
   * Creates the temporary file {@code .<name>.<random>.part} in the destination's directory.
   *
   * @param destination the final path
   * @param sparse whether to ask for a sparse file (needed on Windows/NTFS; a no-op on Linux)
   * @return the output
   * @throws IOException when the file cannot be created
   */
  public static OutputFile create(Path destination, boolean sparse) throws IOException {
    Path abs = destination.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + abs.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".part");
    FileChannel ch = sparse
        ? FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE)
        : FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new OutputFile(abs, temp, ch);
  }

  /** @return the temporary path (for tests and messages) */
  public Path temp() {
    return temp;
  }

  /**
   * Writes {@code len} bytes at {@code pos}.
   *
   * @param buf the bytes
   * @param off the first byte
   * @param len the length
   * @param pos the file position
   * @throws IOException on write failure
   */
  public void write(byte[] buf, int off, int len, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(buf, off, len);
    while (b.hasRemaining()) {
      channel.write(b, pos + (b.position() - off));
    }
  }

  /**
   * Writes only the 4 KiB blocks of {@code buf} that are not all zero (runs merged).
   *
   * @param buf the bytes
   * @param off the first byte
   * @param len the length
   * @param pos the file position of {@code buf[off]}
   * @return bytes written
   * @throws IOException on write failure
   */
  public long writeSparse(byte[] buf, int off, int len, long pos) throws IOException {
    long written = 0;
    int end = off + len;
    int runStart = -1;
    for (int p = off; p < end; p += SPARSE_BLOCK) {
      int n = Math.min(SPARSE_BLOCK, end - p);
      boolean zero = Arrays.mismatch(buf, p, p + n, ZERO, 0, n) < 0;
      if (!zero && runStart < 0) {
        runStart = p;
      } else if (zero && runStart >= 0) {
        write(buf, runStart, p - runStart, pos + (runStart - off));
        written += p - runStart;
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      write(buf, runStart, end - runStart, pos + (runStart - off));
      written += end - runStart;
    }
    return written;
  }

  /**
   * Sets the length, flushes to disk and renames the file to its destination atomically.
   *
   * @param length the final file length
   * @throws IOException when any step fails (the temporary file is then removed by close)
   */
  public void commit(long length) throws IOException {
    try (var raf = new java.io.RandomAccessFile(temp.toFile(), "rw")) {
      raf.setLength(length);
    }
    channel.force(true);
    channel.close();
    try {
      Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  /** Closes; removes the temporary file unless committed. */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      if (!committed) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
