package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a lock file, held across threads of this JVM and across processes
 * ({@link FileChannel#lock()}); released by {@link #close()}. The operating system releases it
 * when a process dies, so a killed pull never blocks the next one.
 *
 * @since 0.1
 */
public final class DirectoryLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();

  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private DirectoryLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
    this.jvmLock = jvmLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /**
   * Acquires the lock, waiting while another thread or process holds it.
   *
   * @param lockFile the lock file (created when missing; its directory must exist)
   * @param listener told once when the lock is busy and this call waits
   * @param what what the lock protects, for the waiting note
   * @return the held lock
   * @throws LocalStorageException when the lock file cannot be opened
   * @throws CancelledException when interrupted while waiting
   */
  public static DirectoryLock acquire(Path lockFile, ProgressListener listener, String what)
      throws LocalStorageException, CancelledException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    try {
      if (!jvm.tryLock()) {
        listener.note("waiting for another pull of " + what + " to finish");
        jvm.lockInterruptibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the lock on " + lockFile, e);
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fl = ch.tryLock();
      if (fl == null) {
        listener.note("waiting for another process pulling " + what + " to finish");
        fl = ch.lock();
      }
      return new DirectoryLock(jvm, ch, fl);
    } catch (ClosedByInterruptException e) {
      jvm.unlock();
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the lock on " + lockFile, e);
    } catch (IOException e) {
      closeQuietly(ch);
      jvm.unlock();
      throw new LocalStorageException("cannot lock " + lockFile + ": " + Describe.cause(e), e);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      if (fileLock.isValid()) {
        fileLock.release();
      }
    } catch (IOException ignored) {
      // closing the channel releases it too
    } finally {
      closeQuietly(channel);
      jvmLock.unlock();
    }
  }
}
