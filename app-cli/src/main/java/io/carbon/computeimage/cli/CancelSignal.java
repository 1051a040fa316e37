package io.carbon.computeimage.cli;

import io.carbon.computeimage.ports.progress.Cancellation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The CLI's {@link Cancellation}: requested by the shutdown hook on Ctrl-C (SIGINT) or SIGTERM,
 * polled by the library between chunks and steps. It also carries what the hook needs: whether
 * the command finished, and the one line that reports the interruption (printed once, by whoever
 * gets there first: the command's error handler or the hook). Thread-safe.
 */
public final class CancelSignal implements Cancellation {
  /** The line for a command that can be resumed by running it again ({@code pull}). */
  static final String RESUMABLE = "image-cli: interrupted; run the same command again to resume";

  /** The line for any other command. */
  static final String PLAIN = "image-cli: interrupted";

  private final AtomicBoolean requested = new AtomicBoolean();
  private final AtomicBoolean reported = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean resumable;

  /** @return a signal nothing requests (in-process use, tests) */
  static CancelSignal none() {
    return new CancelSignal();
  }

  /** Creates a signal that is not requested. */
  public CancelSignal() {}

  @Override
  public boolean isCancelled() {
    return requested.get();
  }

  /** Asks the running command to stop. */
  void request() {
    requested.set(true);
  }

  /**
   * Tells whether the running command resumes when run again (set by the command).
   *
   * @param value true for pulls
   */
  void resumable(boolean value) {
    resumable = value;
  }

  /** Marks the command finished (successfully or not); the hook stops waiting. */
  void finish() {
    finished.countDown();
  }

  /** @return true once {@link #finish()} was called */
  boolean isFinished() {
    return finished.getCount() == 0;
  }

  /**
   * Waits for the command to finish.
   *
   * @param timeout the longest wait
   * @return true when it finished in time
   */
  boolean awaitFinish(Duration timeout) {
    try {
      return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Prints the interruption line, unless it was printed already.
   *
   * @param err where to print
   */
  void report(PrintWriter err) {
    if (reported.compareAndSet(false, true)) {
      err.println(resumable ? RESUMABLE : PLAIN);
      err.flush();
    }
  }

  /**
   * The shutdown hook's work: when the command is still running, request cancellation, wait up to
   * {@code grace} for it to stop cleanly (downloads keep their {@code .part} files, which the next
   * run resumes), then report the interruption. The JVM exits with 128 + the signal number (130
   * for SIGINT), the documented exit code for cancellation.
   *
   * @param err where to report
   * @param grace the longest wait for the command to stop
   */
  void onShutdown(PrintWriter err, Duration grace) {
    if (isFinished()) {
      return; // an ordinary System.exit
    }
    request();
    awaitFinish(grace);
    report(err);
  }
}
