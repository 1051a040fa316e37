package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a lock file, held across threads of this JVM and across processes
 * ({@link FileChannel#lock()}); released by {@link #close()}. The operating system releases it
 * when a process dies, so a killed pull never blocks the next one.
 *
 * @since 0.1
 */
public final class DirectoryLock implements AutoCloseable {
  /** The lock file's name inside an image directory. */
  public static final String FILE_NAME = ".pull.lock";

  private static final ConcurrentHashMap<Path, ReentrantLock> IN_JVM = new ConcurrentHashMap<>();
  /** How often a waiting call checks its cancellation and retries the lock. */
  static final long POLL_MILLIS = 200;

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
    return acquire(lockFile, listener, what, Cancellation.NONE);
  }

  /**
   * Acquires the lock, waiting while another thread or process holds it, and checking the
   * cancellation every {@value #POLL_MILLIS} ms meanwhile (a pull waiting for another process's
   * pull of the same image stops on Ctrl-C).
   *
   * @param lockFile the lock file (created when missing; its directory must exist)
   * @param listener told once when the lock is busy and this call waits
   * @param what what the lock protects, for the waiting note
   * @param cancellation checked while waiting
   * @return the held lock
   * @throws LocalStorageException when the lock file cannot be opened
   * @throws CancelledException when cancelled or interrupted while waiting
   */
  public static DirectoryLock acquire(
      Path lockFile, ProgressListener listener, String what, Cancellation cancellation)
      throws LocalStorageException, CancelledException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    try {
      boolean noted = false;
      while (!jvm.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        cancellation.check();
        if (!noted) {
          listener.note("waiting for another pull of " + what + " to finish");
          noted = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the lock on " + lockFile, e);
    }
    FileChannel ch = null;
    boolean waitNoted = false;
    try {
      while (true) {
        try {
          ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
          // a failed first pull removed the directory after this caller created it
          Files.createDirectories(key.getParent());
          continue;
        }
        Object opened = fileKey(key);
        FileLock fl = ch.tryLock();
        while (fl == null) {
          if (!waitNoted) {
            listener.note("waiting for another process pulling " + what + " to finish");
            waitNoted = true;
          }
          cancellation.check();
          Thread.sleep(POLL_MILLIS);
          fl = ch.tryLock();
        }
        if (opened != null && opened.equals(fileKey(key))) {
          return new DirectoryLock(jvm, ch, fl);
        }
        // the holder removed the directory of a failed first pull (lock file included) while this
        // call waited: the lock is on a file nobody else will lock again; start over
        closeQuietly(ch);
        ch = null;
        Files.createDirectories(key.getParent());
      }
    } catch (InterruptedException | ClosedByInterruptException e) {
      closeQuietly(ch);
      jvm.unlock();
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted while waiting for the lock on " + lockFile, e);
    } catch (IOException e) {
      closeQuietly(ch);
      jvm.unlock();
      throw new LocalStorageException("cannot lock " + lockFile + ": " + Describe.cause(e), e);
    } catch (CancelledException | RuntimeException e) {
      closeQuietly(ch);
      jvm.unlock();
      throw e;
    }
  }

  /**
   * Takes the lock only when nobody holds it: for a removal, which must not delete an image a
   * pull is writing and must not wait for a pull that can take minutes either.
   *
   * @param lockFile the lock file (created when missing; its directory must exist)
   * @return the held lock, or empty when another thread or process holds it
   * @throws LocalStorageException when the lock file cannot be opened
   */
  public static Optional<DirectoryLock> tryAcquire(Path lockFile) throws LocalStorageException {
    Path key = lockFile.toAbsolutePath().normalize();
    ReentrantLock jvm = IN_JVM.computeIfAbsent(key, k -> new ReentrantLock());
    if (!jvm.tryLock()) {
      return Optional.empty();
    }
    FileChannel ch = null;
    try {
      ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock fl = ch.tryLock();
      if (fl == null) {
        closeQuietly(ch);
        jvm.unlock();
        return Optional.empty();
      }
      return Optional.of(new DirectoryLock(jvm, ch, fl));
    } catch (IOException e) {
      closeQuietly(ch);
      jvm.unlock();
      throw new LocalStorageException("cannot lock " + lockFile + ": " + Describe.cause(e), e);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      jvm.unlock();
      throw e;
    }
  }

  /**
   * Identifies the file now at {@code path}: its file key (device and inode on Unix), or the path
   * itself where the file system has no keys (Windows, where an open lock file cannot be deleted
   * anyway); null when no file is there.
   */
  private static Object fileKey(Path path) throws IOException {
    try {
      Object k = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return k != null ? k : path;
    } catch (NoSuchFileException e) {
      return null;
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
