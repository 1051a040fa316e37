package io.carbon.computeimage.domain.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for {@link DirectoryLock}. */
final class DirectoryLockTest {
  @TempDir Path root;

  @Test
  void holderRemovesDirectory_waiterStartsOverOnAFreshLockFile() throws Exception {
    Path dir = Files.createDirectories(root.resolve("reg/name/1/amd64"));
    Path lockFile = dir.resolve(DirectoryLock.FILE_NAME);
    CountDownLatch waiting = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    DirectoryLock held = DirectoryLock.acquire(lockFile, ProgressListener.NONE, "x");
    try {
      Future<Boolean> waiter =
          pool.submit(
              () -> {
                ProgressListener l =
                    new ProgressListener() {
                      @Override
                      public void note(String message) {
                        waiting.countDown();
                      }
                    };
                try (DirectoryLock second = DirectoryLock.acquire(lockFile, l, "x")) {
                  return Files.isRegularFile(lockFile);
                }
              });
      assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
      // what a failed first pull does while holding the lock
      FileTrees.deleteWithEmptyParents(dir, root.resolve("reg"));
      assertThat(root.resolve("reg")).doesNotExist();
      held.close();
      assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(dir).isDirectory();
  }

  @Test
  void createDirectories_reportsTopmostCreated() throws Exception {
    Files.createDirectories(root.resolve("a"));
    assertThat(FileTrees.createDirectories(root.resolve("a/b/c"))).contains(root.resolve("a/b"));
    assertThat(FileTrees.createDirectories(root.resolve("a/b/c"))).isEmpty();
  }
}
