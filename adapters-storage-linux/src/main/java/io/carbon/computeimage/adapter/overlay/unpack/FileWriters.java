package io.carbon.computeimage.adapter.overlay.unpack;

import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes small files of one layer on a few threads while the tar is read on, keyed by the path
 * relative to the layer root so that the reader can wait for the write of a path before it looks
 * at that path again. Memory held by pending files is bounded. Used by one reader thread.
 */
final class FileWriters implements AutoCloseable {
  /** Files up to this size are written by the writer threads; bigger ones by the reader. */
  static final int MAX_FILE = 1 << 20;

  private static final int THREADS = 2;
  private static final int BUDGET_KIB = 8 << 10;
  private static final AtomicInteger POOL_NO = new AtomicInteger();

  /** A write of one file. */
  @FunctionalInterface
  interface Write {
    void run() throws IOException;
  }

  private final Map<String, Future<?>> pending = new HashMap<>();
  private final Semaphore budget = new Semaphore(BUDGET_KIB);
  private ExecutorService pool;
  private IOException failure;

  /**
   * Queues a write; waits while too many bytes are pending.
   *
   * @param rel the path relative to the layer root
   * @param name the entry name for messages
   * @param write the write
   * @throws IOException when an earlier write failed
   */
  void submit(String rel, String name, Write write, long bytes) throws IOException {
    throwFailure();
    int kib = (int) Math.min(BUDGET_KIB, 1 + (bytes >> 10));
    try {
      budget.acquire(kib);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while writing '" + name + "'");
    }
    if (pool == null) {
      int no = POOL_NO.incrementAndGet();
      AtomicInteger threadNo = new AtomicInteger();
      ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 10, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "layer-writer-" + no + "-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      p.allowCoreThreadTimeOut(true);
      pool = p;
    }
    if (pending.size() >= 4096) {
      pending.values().removeIf(Future::isDone);
    }
    pending.put(rel, pool.submit(() -> {
      try {
        write.run();
        return null;
      } catch (IOException e) {
        throw new IOException("'" + name + "': " + e.getMessage(), e);
      } finally {
        budget.release(kib);
      }
    }));
  }

  /**
   * Waits for a pending write of a path.
   *
   * @param rel the path relative to the layer root
   * @throws IOException when that write (or an earlier one) failed
   */
  void await(String rel) throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    Future<?> f = pending.remove(rel);
    if (f != null) {
      waitFor(f);
    }
    throwFailure();
  }

  /**
   * Waits for every pending write.
   *
   * @throws IOException when a write failed
   */
  void awaitAll() throws IOException {
    for (Iterator<Future<?>> it = pending.values().iterator(); it.hasNext(); ) {
      Future<?> f = it.next();
      it.remove();
      waitFor(f);
    }
    throwFailure();
  }

  private void waitFor(Future<?> f) throws IOException {
    boolean interrupted = false;
    while (true) {
      try {
        f.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the write must end before anyone looks at its path again
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof IOException io
              ? io : new IOException(String.valueOf(e.getCause()), e.getCause());
        }
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while unpacking");
    }
  }

  private void throwFailure() throws IOException {
    if (failure != null) {
      throw failure;
    }
  }

  /** Waits for the pending writes (ignoring their failures) and stops the threads. */
  @Override
  public void close() {
    if (pool == null) {
      return;
    }
    pool.shutdown();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    pending.clear();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
