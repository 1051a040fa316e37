package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.progress.Cancellation;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches a response body being read: when no byte arrives for the stall timeout, or the
 * operation is cancelled, it closes the body, which makes a read blocked on it throw ({@code
 * java.net.http}'s body stream wakes its reader on close). {@code HttpRequest.timeout} only covers
 * the wait for the headers, so this covers the body. The reading thread is never interrupted, so
 * file channels it uses stay open.
 */
final class StallGuard implements AutoCloseable {
  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "compute-image-stall-guard");
            t.setDaemon(true);
            return t;
          });

  private final Closeable body;
  private final long timeoutNanos;
  private final Cancellation cancellation;
  private final ScheduledFuture<?> task;
  /** The thread reading the body: its interruption cancels as the cancellation does. */
  private final Thread reader = Thread.currentThread();
  private volatile long lastProgress;
  private boolean closed;
  private boolean stalled;
  private boolean cancelled;

  private StallGuard(Closeable body, Duration timeout, Cancellation cancellation) {
    this.body = body;
    this.timeoutNanos = timeout.toNanos();
    this.cancellation = cancellation;
    this.lastProgress = System.nanoTime();
    long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    this.task = SCHEDULER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts watching a body.
   *
   * @param body closed when the read stalls, is cancelled or the calling (reading) thread is
   *     interrupted
   * @param timeout the longest silence allowed
   * @param cancellation polled while waiting
   * @return the guard; close it when the body is done
   */
  static StallGuard watch(Closeable body, Duration timeout, Cancellation cancellation) {
    return new StallGuard(body, timeout, cancellation);
  }

  /** Records that bytes arrived. */
  void progressed() {
    lastProgress = System.nanoTime();
  }

  /** @return true when the guard fired because no bytes arrived in time */
  synchronized boolean stalled() {
    return stalled;
  }

  /** @return true when the guard fired because the operation was cancelled */
  synchronized boolean cancelled() {
    return cancelled;
  }

  private void check() {
    synchronized (this) {
      if (closed || stalled || cancelled) {
        return;
      }
      boolean cancel;
      try {
        cancel = cancellation.isCancelled() || reader.isInterrupted();
      } catch (RuntimeException e) {
        // a faulty cancellation must not end this periodic check (the scheduler would drop it
        // silently, and a stalled body would then block its reader forever)
        cancel = false;
      }
      if (cancel) {
        cancelled = true;
      } else if (System.nanoTime() - lastProgress > timeoutNanos) {
        stalled = true;
      } else {
        return;
      }
    }
    try {
      body.close();
    } catch (IOException | RuntimeException ignored) {
      // the body is being abandoned
    }
  }

  /** Stops watching. */
  @Override
  public void close() {
    task.cancel(false);
    synchronized (this) {
      closed = true;
    }
  }
}
