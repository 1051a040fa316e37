package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.progress.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The watch over a body being read: closes it when no byte arrives in time. */
final class StallGuardTest {
  @Test
  void silentBody_closedAfterTheTimeout() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (StallGuard guard = StallGuard.watch(closed::countDown, Duration.ofMillis(100), Cancellation.NONE)) {
      assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(guard.stalled()).isTrue();
      assertThat(guard.cancelled()).isFalse();
    }
  }

  @Test
  void cancellationThatThrows_stillClosedWhenStalled() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Cancellation faulty = () -> {
      if (asked.incrementAndGet() == 1) {
        throw new IllegalStateException("a listener's bug");
      }
      return false;
    };
    CountDownLatch closed = new CountDownLatch(1);
    try (StallGuard guard = StallGuard.watch(closed::countDown, Duration.ofMillis(100), faulty)) {
      // a periodic task that throws is never run again: the body would never be closed
      assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(guard.stalled()).isTrue();
      assertThat(asked.get()).isGreaterThan(1);
    }
  }
}
