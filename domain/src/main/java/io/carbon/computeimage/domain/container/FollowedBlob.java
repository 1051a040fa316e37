package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.transfer.DownloadTap;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A blob read while it downloads: a {@link DownloadTap} that follows the ranges the downloader
 * writes, and an {@link InputStream} that reads them from the partial file as they arrive (the
 * download never waits for the reader).
 *
 * <p>What was read is trustworthy only when the ranges stayed contiguous in one file up to the
 * verified end: when the download goes back after bytes were read (a restart from byte 0, a
 * resume after a digest mismatch) the stream {@linkplain #diverged() diverges} and reads fail;
 * the caller then unpacks again from the downloaded file. When nothing was read yet, it simply
 * starts over with the new file, and when the tap saw nothing (the blob was already in the cache,
 * or another process downloaded it) it reads the completed file.
 *
 * <p>One reader thread and one downloading thread.
 */
final class FollowedBlob extends InputStream implements DownloadTap {
  private final Object lock = new Object();
  private FileChannel channel;
  private long available;
  private long position;
  private boolean diverged;
  private boolean completed;
  private long size;
  private ComputeImageException failure;
  private boolean closed;

  @Override
  public void written(Path file, long offset, long length) {
    synchronized (lock) {
      if (closed || diverged || completed) {
        return;
      }
      if (channel != null && offset == available) {
        available += length;
      } else if (position == 0 && offset == 0) {
        // the first range, or a new start before anything was read: follow the new file
        closeChannel();
        try {
          channel = FileChannel.open(file, StandardOpenOption.READ);
          available = length;
        } catch (IOException e) {
          available = 0; // gone already: read the completed file instead
        }
      } else if (position == 0) {
        closeChannel(); // resumed from an earlier partial file: read the completed file instead
        available = 0;
      } else {
        diverged = true;
      }
      lock.notifyAll();
    }
  }

  /**
   * The download completed and was verified.
   *
   * @param file the downloaded file
   * @param blobSize its size
   */
  void complete(Path file, long blobSize) {
    synchronized (lock) {
      if (completed) {
        return;
      }
      completed = true;
      size = blobSize;
      boolean followedAll = channel != null && !diverged && available == blobSize;
      if (!followedAll && !closed) {
        if (position > 0) {
          diverged = true;
        } else {
          closeChannel();
          try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            available = blobSize;
            diverged = false;
          } catch (IOException e) {
            failure =
                new LocalStorageException(
                    "cannot read the downloaded blob " + file + ": " + LocalStorageException.describe(e, file), e);
          }
        }
      }
      lock.notifyAll();
    }
  }

  /**
   * The download failed; reads fail too.
   *
   * @param e why
   */
  void fail(ComputeImageException e) {
    synchronized (lock) {
      if (failure == null) {
        failure = e;
      }
      lock.notifyAll();
    }
  }

  /** @return true when bytes already read may differ from the verified blob */
  boolean diverged() {
    synchronized (lock) {
      return diverged;
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      FileChannel ch;
      long at;
      int max;
      synchronized (lock) {
        while (true) {
          if (closed) {
            throw new IOException("blob stream closed");
          }
          if (diverged) {
            throw new IOException("the download of the blob started again after "
                + position + " bytes were read");
          }
          if (failure != null) {
            throw new IOException("the download of the blob failed: " + failure.getMessage());
          }
          if (channel != null && position < available) {
            break;
          }
          if (completed && channel != null && position >= size) {
            return -1;
          }
          try {
            lock.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the blob to download");
          }
        }
        ch = channel;
        at = position;
        max = (int) Math.min(len, available - position);
      }
      int n;
      try {
        n = ch.read(ByteBuffer.wrap(b, off, max), at);
      } catch (ClosedChannelException e) {
        synchronized (lock) {
          if (ch != channel && position == 0) {
            continue; // switched to another file before anything was read
          }
        }
        throw e;
      }
      synchronized (lock) {
        if (ch != channel) {
          if (position == 0) {
            continue;
          }
          diverged = true;
          continue;
        }
        if (n <= 0) {
          // the file is shorter than written: it was truncated for a new start
          if (position > 0) {
            diverged = true;
          } else {
            available = 0;
            try {
              lock.wait(10);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("interrupted while waiting for the blob to download");
            }
          }
          continue;
        }
        position += n;
        return n;
      }
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      closeChannel();
      lock.notifyAll();
    }
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only
      }
      channel = null;
    }
  }
}
