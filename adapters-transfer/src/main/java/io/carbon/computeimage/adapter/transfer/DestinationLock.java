package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on one destination, across threads and processes: an in-JVM lock first (a
 * second {@code FileChannel.lock} on the same file in one JVM throws {@code
 * OverlappingFileLockException}), then a kernel lock on {@code <dest>.lock} held through one
 * long-lived channel (opening and closing another channel on that file would silently drop the
 * lock). The lock file is never deleted; the kernel releases the lock when a process dies.
 */
final class DestinationLock implements AutoCloseable {
  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  private static final long POLL_MILLIS = 100;

  private final ReentrantLock jvmLock;
  private final FileChannel channel;
  private final FileLock fileLock;

  private DestinationLock(ReentrantLock jvmLock, FileChannel channel, FileLock fileLock) {
    this.jvmLock = jvmLock;
    this.channel = channel;
    this.fileLock = fileLock;
  }

  /**
   * Waits for and takes the lock.
   *
   * @param lockFile the lock file, created when missing
   * @param cancellation checked while waiting
   * @param listener told once when the lock is busy
   * @return the held lock; close it to release
   * @throws CancelledException when cancelled or interrupted while waiting
   * @throws LocalStorageException when the lock file cannot be opened or locked
   */
  static DestinationLock acquire(Path lockFile, Cancellation cancellation, ProgressListener listener)
      throws ComputeImageException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    if (jvm.isHeldByCurrentThread()) {
      throw new IllegalStateException("this thread already holds the lock " + key);
    }
    boolean noted = false;
    try {
      while (!jvm.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        cancellation.check();
        if (!noted) {
          listener.note("waiting for another download to " + key.getFileName() + " in this process");
          noted = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the lock " + key, e);
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      noted = false;
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return new DestinationLock(jvm, channel, lock);
        }
        if (!noted) {
          listener.note(
              "waiting for another process downloading " + key.getFileName() + " (lock " + key + ")");
          noted = true;
        }
        cancellation.check();
        Thread.sleep(POLL_MILLIS);
      }
    } catch (IOException e) {
      release(jvm, channel);
      throw new LocalStorageException(
          "cannot lock " + key + ": " + LocalStorageException.describe(e), e);
    } catch (InterruptedException e) {
      release(jvm, channel);
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the lock " + key, e);
    } catch (ComputeImageException | RuntimeException e) {
      release(jvm, channel);
      throw e;
    }
  }

  private static void release(ReentrantLock jvm, FileChannel channel) {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException ignored) {
      // closing releases the kernel lock, nothing else to do
    } finally {
      jvm.unlock();
    }
  }

  /** Releases the kernel lock and the in-JVM lock. */
  @Override
  public void close() {
    try {
      fileLock.release();
    } catch (IOException ignored) {
      // the channel close below releases it anyway
    }
    release(jvmLock, channel);
  }
}
