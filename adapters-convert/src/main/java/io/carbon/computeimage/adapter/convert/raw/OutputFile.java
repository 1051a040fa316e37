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
import java.util.function.UnaryOperator;

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
  /**
   * Largest single write. The kernel gives a buffered write of 2 MiB or more a 2 MiB page-cache
   * folio, and on a VM whose free memory is handed back to the host (virtio-balloon free page
   * reporting, as on this project's machines) such folios come from memory the host must fault
   * in again: measured with dd, 590 MB written in 2 MiB blocks took 1.5-1.9 s of system time,
   * in 1 MiB blocks 0.14-0.17 s.
   */
  static final int MAX_WRITE = 1 << 20;
  private static final byte[] ZERO = new byte[SPARSE_BLOCK];
  private static final ByteBuffer ZERO_DIRECT =
      ByteBuffer.allocateDirect(SPARSE_BLOCK).asReadOnlyBuffer();

  private final Path destination;
  private final Path temp;
  private final FileChannel channel;
  /**
   * Serializes writes: concurrent buffered writes to one file contend on the inode lock in the
   * kernel (ext4 spins on it), which cost ~30% more CPU than parking the second writer here.
   */
  private final java.util.concurrent.locks.ReentrantLock writeLock =
      new java.util.concurrent.locks.ReentrantLock();
  private boolean committed;
  private long flushEvery;
  private final java.util.concurrent.atomic.AtomicLong unflushed =
      new java.util.concurrent.atomic.AtomicLong();
  private Thread flusher;
  private volatile IOException flushFailure;
  /**
   * Guards {@link #flushPending} and {@link #closing}, the flusher's two signals. One monitor for
   * both, so that the stop can never be taken for a flush request: with a semaphore for the
   * requests, a flusher that took a request, found no stop yet and then drained the permits took
   * the stop's permit too and waited for a request forever, and the commit with it.
   */
  private final Object flushSignal = new Object();
  private boolean flushPending;
  private boolean closing;

  private OutputFile(Path destination, Path temp, FileChannel channel) {
    this.destination = destination;
    this.temp = temp;
    this.channel = channel;
  }

  /**
   * Creates the temporary file {@code .<name>.<random>.part} in the destination's directory,
   * locked while it is written, and deletes the ones earlier runs abandoned (no lock held).
   *
   * @param destination the final path
   * @param sparse whether to ask for a sparse file (needed on Windows/NTFS; a no-op on Linux)
   * @return the output
   * @throws IOException when the file cannot be created
   */
  public static OutputFile create(Path destination, boolean sparse) throws IOException {
    return create(destination, sparse, UnaryOperator.identity());
  }

  /** As {@link #create(Path, boolean)}, with the file's channel wrapped (tests observe it). */
  static OutputFile create(Path destination, boolean sparse, UnaryOperator<FileChannel> wrap)
      throws IOException {
    Path abs = destination.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    String random = String.format("%016x", ThreadLocalRandom.current().nextLong());
    Path temp = dir.resolve("." + abs.getFileName() + "." + random + ".part");
    // made under a name the sweep of other runs ignores, locked, then renamed: a lock follows the
    // file, so no run ever sees an unlocked temporary file that is being written
    Path making = dir.resolve("." + abs.getFileName() + "." + random + ".new");
    FileChannel ch = sparse
        ? FileChannel.open(making, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE)
        : FileChannel.open(making, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      try {
        ch.tryLock(); // held while the file is written
      } catch (IOException | RuntimeException e) {
        // a file system without locks: the sweep below cannot lock ours either way
      }
      Files.move(making, temp, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      ch.close();
      Files.deleteIfExists(making);
      throw e;
    }
    removeAbandoned(abs, temp);
    return new OutputFile(abs, temp, wrap.apply(ch));
  }

  /**
   * Deletes the temporary files of earlier writes of the same destination that were abandoned (a
   * killed process leaves its {@code .<name>.<random>.part}): those no process holds a lock on.
   * Best effort; a file that cannot be opened or locked is left alone.
   */
  static void removeAbandoned(Path destination, Path ours) {
    String prefix = "." + destination.getFileName() + ".";
    try (java.nio.file.DirectoryStream<Path> siblings =
        Files.newDirectoryStream(destination.getParent(), prefix + "*.part")) {
      for (Path f : siblings) {
        String middle = f.getFileName().toString();
        middle = middle.substring(prefix.length(), middle.length() - ".part".length());
        if (f.equals(ours) || !middle.matches("[0-9a-f]{16}")
            || !Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        try (FileChannel other = FileChannel.open(f, StandardOpenOption.WRITE)) {
          java.nio.channels.FileLock lock = other.tryLock();
          if (lock != null) { // nobody writes it
            Files.deleteIfExists(f);
          }
        } catch (IOException | RuntimeException e) {
          // held by this JVM (OverlappingFileLockException), not ours to open, or gone
        }
      }
    } catch (IOException | RuntimeException e) {
      // the directory cannot be listed: nothing to sweep
    }
  }

  /**
   * Starts writing back the data in the background every {@code everyBytes} bytes written (an
   * fdatasync on a helper thread while the conversion goes on), so the final flush in
   * {@link #commit} has little left to do. Durability is unchanged: commit still flushes
   * everything before the rename.
   *
   * @param everyBytes bytes written between background flushes
   */
  public void flushInBackground(long everyBytes) {
    if (flusher != null) {
      return;
    }
    flushEvery = everyBytes;
    flusher = new Thread(() -> {
      try {
        while (awaitFlushRequest()) {
          channel.force(false);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.nio.channels.ClosedChannelException e) {
        // closed: nothing left to flush
      } catch (IOException e) {
        flushFailure = e;
      }
    }, "convert-flush");
    flusher.setDaemon(true);
    flusher.start();
  }

  /**
   * Waits for a flush request or the stop.
   *
   * @return true to flush, false when the flusher is to end (requests made meanwhile are moot:
   *     the commit flushes everything itself when asked to)
   */
  private boolean awaitFlushRequest() throws InterruptedException {
    synchronized (flushSignal) {
      while (!flushPending && !closing) {
        flushSignal.wait();
      }
      flushPending = false;
      return !closing;
    }
  }

  private void requestFlush() {
    synchronized (flushSignal) {
      flushPending = true;
      flushSignal.notifyAll();
    }
  }

  private void stopFlusher() throws IOException {
    if (flusher == null) {
      return;
    }
    synchronized (flushSignal) {
      closing = true;
      flushSignal.notifyAll();
    }
    try {
      flusher.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while flushing " + temp);
    }
    flusher = null;
    if (flushFailure != null) {
      throw flushFailure;
    }
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
    for (int done = 0; done < len; ) {
      int n = Math.min(MAX_WRITE, len - done);
      ByteBuffer b = ByteBuffer.wrap(buf, off + done, n);
      while (b.hasRemaining()) {
        channel.write(b, pos + (b.position() - off));
      }
      done += n;
    }
  }

  /**
   * Writes {@code len} bytes of {@code buf} from the absolute index {@code off} at {@code pos}
   * (the buffer's position and limit are ignored; a direct buffer is written without a copy).
   *
   * @param buf the bytes
   * @param off the first byte
   * @param len the length
   * @param pos the file position
   * @throws IOException on write failure
   */
  public void write(ByteBuffer buf, int off, int len, long pos) throws IOException {
    writeLock.lock();
    try {
      for (int done = 0; done < len; ) {
        int n = Math.min(MAX_WRITE, len - done);
        ByteBuffer b = buf.slice(off + done, n);
        while (b.hasRemaining()) {
          channel.write(b, pos + done + b.position());
        }
        done += n;
      }
    } finally {
      writeLock.unlock();
    }
    if (flushEvery > 0 && unflushed.addAndGet(len) >= flushEvery) {
      unflushed.set(0);
      requestFlush();
    }
  }

  /**
   * Writes only the 4 KiB blocks of {@code buf[off, off + len)} (absolute indexes) that are not
   * all zero, merging adjacent blocks into one write.
   *
   * @param buf the bytes (heap or direct)
   * @param off the first byte
   * @param len the length
   * @param pos the file position of {@code buf[off]}
   * @return bytes written
   * @throws IOException on write failure
   */
  public long writeSparse(ByteBuffer buf, int off, int len, long pos) throws IOException {
    long written = 0;
    int end = off + len;
    int runStart = -1;
    for (int p = off; p < end; p += SPARSE_BLOCK) {
      int n = Math.min(SPARSE_BLOCK, end - p);
      boolean zero = isZero(buf, p, n);
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

  private static boolean isZero(ByteBuffer buf, int p, int n) {
    // cheap early exit on the first and last words: most data blocks fail here
    if (n >= 16 && (buf.getLong(p) != 0 || buf.getLong(p + n - 8) != 0)) {
      return false;
    }
    if (buf.hasArray()) {
      int a = buf.arrayOffset() + p;
      return Arrays.mismatch(buf.array(), a, a + n, ZERO, 0, n) < 0;
    }
    return buf.slice(p, n).mismatch(ZERO_DIRECT.slice(0, n)) < 0;
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
   * Sets the length, optionally flushes to disk and renames the file to its destination atomically.
   *
   * @param length the final file length
   * @param sync whether to flush the data to stable storage before the rename
   * @throws IOException when any step fails (the temporary file is then removed by close)
   */
  public void commit(long length, boolean sync) throws IOException {
    // closing any descriptor of a file drops this process's locks on it (POSIX record locks):
    // the one that sets the length stays open until the file has its final name
    boolean windows = java.io.File.separatorChar == '\\';
    var raf = new java.io.RandomAccessFile(temp.toFile(), "rw");
    try {
      raf.setLength(length);
      if (windows) {
        raf.close(); // Windows renames only closed files; its locks belong to their handle
      }
      keepModeAndOwnerOfReplaced();
      commitLocked(sync);
    } finally {
      raf.close();
    }
  }

  /**
   * An output that replaces a file keeps that file's permissions and, where allowed, its owner and
   * group, as writing into it in place would ({@code qemu-img convert} does): a private disk image
   * must not become world-readable by being converted again.
   */
  private void keepModeAndOwnerOfReplaced() {
    try {
      var view = Files.getFileAttributeView(destination,
          java.nio.file.attribute.PosixFileAttributeView.class);
      if (view == null || !Files.isRegularFile(destination, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      var old = view.readAttributes();
      var ours = Files.getFileAttributeView(temp, java.nio.file.attribute.PosixFileAttributeView.class);
      try {
        ours.setOwner(old.owner());
        ours.setGroup(old.group());
      } catch (IOException | RuntimeException e) {
        // not root: the file stays ours, with the old permissions below
      }
      ours.setPermissions(old.permissions());
    } catch (IOException | RuntimeException e) {
      // the old file is gone or unreadable: the new one keeps the default mode
    }
  }

  private void commitLocked(boolean sync) throws IOException {
    stopFlusher();
    if (sync) {
      channel.force(false); // fdatasync: the data and the size, before the rename publishes it
    }
    // POSIX renames an open file: the lock is kept until the file has its final name, so no
    // other run takes it for abandoned meanwhile; Windows renames only closed files
    if (java.io.File.separatorChar == '\\') {
      channel.close();
    }
    try {
      Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      channel.close();
    }
    committed = true;
  }

  /** Closes; removes the temporary file unless committed. */
  @Override
  public void close() throws IOException {
    try {
      try {
        stopFlusher();
      } catch (IOException e) {
        // the output is being discarded or was committed: a late flush failure does not matter
      }
      channel.close();
    } finally {
      if (!committed) {
        Files.deleteIfExists(temp);
      }
    }
  }
}
