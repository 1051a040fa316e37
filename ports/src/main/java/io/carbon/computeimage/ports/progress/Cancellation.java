package io.carbon.computeimage.ports.progress;

import io.carbon.computeimage.ports.error.CancelledException;

/**
 * A cancellation signal checked by long operations between units of work.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Cancellation {
  /** Never cancelled (still honours thread interruption in {@link #check()}). */
  Cancellation NONE = () -> false;

  /**
   * Tells whether cancellation was requested.
   *
   * @return true once cancellation was requested
   */
  boolean isCancelled();

  /**
   * Throws when cancellation was requested or the current thread is interrupted.
   *
   * @throws CancelledException when the operation must stop
   */
  default void check() throws CancelledException {
    if (isCancelled() || Thread.currentThread().isInterrupted()) {
      throw new CancelledException("operation cancelled");
    }
  }
}
