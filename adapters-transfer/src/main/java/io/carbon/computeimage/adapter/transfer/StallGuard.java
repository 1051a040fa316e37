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
 * operation is cancelled, it closes the body and interrupts the reading thread so a blocked read
 * returns. {@code HttpRequest.timeout} only covers the wait for the headers, so this covers the
 * body.
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
  private final Thread reader;
  private final ScheduledFuture<?> task;
  private volatile long lastProgress;
  private boolean closed;
  private boolean stalled;
  private boolean cancelled;

  private StallGuard(Closeable body, Duration timeout, Cancellation cancellation) {
    this.body = body;
    this.timeoutNanos = timeout.toNanos();
    this.cancellation = cancellation;
    this.reader = Thread.currentThread();
    this.lastProgress = System.nanoTime();
    long period = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    this.task = SCHEDULER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts watching a body read by the current thread.
   *
   * @param body closed when the read stalls or is cancelled
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
      if (cancellation.isCancelled()) {
        cancelled = true;
      } else if (System.nanoTime() - lastProgress > timeoutNanos) {
        stalled = true;
      } else {
        return;
      }
      reader.interrupt();
    }
    try {
      body.close();
    } catch (IOException | RuntimeException ignored) {
      // the body is being abandoned
    }
  }

  /** Stops watching; clears the interrupt this guard may have raised. */
  @Override
  public void close() {
    task.cancel(false);
    synchronized (this) {
      closed = true;
      if (stalled || cancelled) {
        Thread.interrupted();
      }
    }
  }
}
