package io.carbon.computeimage.adapter.transfer;

import java.time.Duration;

/** Waits between attempts; tests substitute one that records instead of waiting. */
@FunctionalInterface
interface Sleeper {
  /** Sleeps for real. */
  Sleeper REAL =
      d -> {
        if (!d.isNegative() && !d.isZero()) {
          Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        }
      };

  /**
   * Waits.
   *
   * @param duration how long
   * @throws InterruptedException when interrupted
   */
  void sleep(Duration duration) throws InterruptedException;
}
