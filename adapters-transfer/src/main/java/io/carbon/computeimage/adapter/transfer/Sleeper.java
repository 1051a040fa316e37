package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.progress.Cancellation;
import java.time.Duration;

/** Waits between attempts; tests substitute one that records instead of waiting. */
@FunctionalInterface
interface Sleeper {
  /** Sleeps for real, checking a cancellation every {@value #CHECK_MILLIS} ms meanwhile. */
  Sleeper REAL =
      new Sleeper() {
        @Override
        public void sleep(Duration d) throws InterruptedException {
          if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
          }
        }

        @Override
        public void sleep(Duration d, Cancellation cancellation)
            throws InterruptedException, CancelledException {
          long end = System.nanoTime() + Math.max(0, d.toNanos());
          while (true) {
            cancellation.check();
            long left = end - System.nanoTime();
            if (left <= 0) {
              return;
            }
            sleep(Duration.ofNanos(Math.min(left, CHECK_MILLIS * 1_000_000L)));
          }
        }
      };

  /** How often a real sleep checks its cancellation. */
  long CHECK_MILLIS = 100;

  /**
   * Waits.
   *
   * @param duration how long
   * @throws InterruptedException when interrupted
   */
  void sleep(Duration duration) throws InterruptedException;

  /**
   * Waits unless cancelled: a retry's delay (up to a minute with {@code Retry-After}) must not
   * hold up a cancelled operation. This default checks before and after; {@link #REAL} checks
   * throughout.
   *
   * @param duration how long
   * @param cancellation checked while waiting
   * @throws InterruptedException when interrupted
   * @throws CancelledException when cancelled
   */
  default void sleep(Duration duration, Cancellation cancellation)
      throws InterruptedException, CancelledException {
    cancellation.check();
    sleep(duration);
    cancellation.check();
  }
}
