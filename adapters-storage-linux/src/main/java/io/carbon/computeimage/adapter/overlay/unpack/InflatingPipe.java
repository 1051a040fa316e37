package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.adapter.overlay.compress.Decompression;
import io.carbon.computeimage.ports.store.LayerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.PushbackInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Decompresses a blob on its own thread and hands the uncompressed bytes to the reading thread
 * through a small bounded queue of buffers, hashing them (the diffID) on the way, so that
 * decompression and hashing overlap with writing the files.
 *
 * <p>The decompressing thread reads the blob to its end, trailing bytes after the tar's
 * end-of-archive included, whether or not the reader wants them; {@link #finish()} waits for it
 * and returns the digest. Failures of the blob (unreadable, corrupt, truncated) reach the reader
 * as {@link BlobReadException}s. {@link #close()} stops the thread.
 */
final class InflatingPipe extends InputStream {
  private static final int CHUNK = 1 << 18;
  private static final int QUEUED = 8;
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
  private final MessageDigest sha;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile IOException failure;
  private volatile boolean headerFailure;
  private long count;
  private byte[] current;
  private int currentLength;
  private int currentPos;
  private boolean ended;

  private InflatingPipe(InputStream compressed, LayerCompression compression, String source,
      String threadName) {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    thread = new Thread(() -> produce(compressed, compression, source), threadName);
    thread.setDaemon(true);
  }

  /**
   * Starts decompressing.
   *
   * @param compressed the blob's bytes (possibly empty: an empty layer)
   * @param compression the compression
   * @param source the blob's name for messages
   * @param threadName the decompressing thread's name
   * @return the uncompressed stream
   */
  static InflatingPipe start(InputStream compressed, LayerCompression compression, String source,
      String threadName) {
    InflatingPipe p = new InflatingPipe(compressed, compression, source, threadName);
    p.thread.start();
    return p;
  }

  private void produce(InputStream compressed, LayerCompression compression, String source) {
    try {
      InputStream plain;
      PushbackInputStream in = new PushbackInputStream(compressed, 1);
      int first = in.read();
      if (first < 0) {
        plain = InputStream.nullInputStream(); // a 0-byte blob is an empty layer
      } else {
        in.unread(first);
        try {
          plain = Decompression.open(in, compression, source);
        } catch (IOException e) {
          headerFailure = true;
          throw e;
        }
      }
      while (!stopped) {
        byte[] buf = free.poll();
        if (buf == null) {
          buf = new byte[CHUNK];
        }
        int filled = 0;
        while (filled < CHUNK) {
          int n = plain.read(buf, filled, CHUNK - filled);
          if (n < 0) {
            break;
          }
          filled += n;
        }
        if (filled > 0) {
          sha.update(buf, 0, filled);
          put(filled == CHUNK ? buf : Arrays.copyOf(buf, filled));
        }
        if (filled < CHUNK) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    } catch (InterruptedException e) {
      failure = new InterruptedIOException("decompression interrupted");
    } finally {
      try {
        put(END);
      } catch (InterruptedException e) {
        // the reader is gone
      }
    }
  }

  private void put(byte[] b) throws InterruptedException {
    while (!stopped) {
      if (queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  /** @return true when the blob could not be opened as the stated compression */
  boolean headerFailure() {
    return headerFailure;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    while (current == null || currentPos >= currentLength) {
      if (ended) {
        return -1;
      }
      byte[] next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BlobReadException(new InterruptedIOException("interrupted while decompressing"));
      }
      if (next == END) {
        ended = true;
        if (failure != null) {
          throw new BlobReadException(failure);
        }
        return -1;
      }
      if (current != null && current.length == CHUNK) {
        free.offer(current); // reused by the decompressing thread: little garbage
      }
      current = next;
      currentLength = next.length;
      currentPos = 0;
    }
    int n = Math.min(len, currentLength - currentPos);
    System.arraycopy(current, currentPos, b, off, n);
    currentPos += n;
    count += n;
    return n;
  }

  /**
   * Reads what is left (trailing bytes after the tar's end) and waits for the decompressing
   * thread.
   *
   * @return the sha256 of the whole uncompressed stream
   */
  byte[] finish() {
    byte[] buf = new byte[CHUNK];
    while (read(buf, 0, buf.length) >= 0) {
      // counted and already hashed
    }
    return sha.digest();
  }

  /** @return uncompressed bytes handed out so far */
  long count() {
    return count;
  }

  /**
   * Stops the decompressing thread (when the reader gives up early); it ends at its next chunk,
   * or when its input fails or is closed.
   */
  @Override
  public void close() {
    stopped = true;
    queue.clear();
  }
}
