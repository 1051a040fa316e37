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
  void heldByAnotherProcess_waiterStopsWhenCancelled() throws Exception {
    Path dir = Files.createDirectories(root.resolve("reg/name/1/amd64"));
    Path lockFile = dir.resolve(DirectoryLock.FILE_NAME);
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), lockFile.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      var out = new java.io.BufferedReader(
          new java.io.InputStreamReader(holder.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");
      java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
      ProgressListener l =
          new ProgressListener() {
            @Override
            public void note(String message) {
              notes.add(message);
              cancelled.set(true); // Ctrl-C while waiting for the other process
            }
          };
      long start = System.nanoTime();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> DirectoryLock.acquire(lockFile, l, "name:1", cancelled::get))
          .isInstanceOf(io.carbon.computeimage.ports.error.CancelledException.class);
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
      assertThat(notes).containsExactly("waiting for another process pulling name:1 to finish");
      // the in-process lock was given back: with the other process gone, the lock is free
      holder.getOutputStream().close();
      assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
      try (DirectoryLock again = DirectoryLock.acquire(lockFile, ProgressListener.NONE, "name:1")) {
        assertThat(again).isNotNull();
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void createDirectories_reportsTopmostCreated() throws Exception {
    Files.createDirectories(root.resolve("a"));
    assertThat(FileTrees.createDirectories(root.resolve("a/b/c"))).contains(root.resolve("a/b"));
    assertThat(FileTrees.createDirectories(root.resolve("a/b/c"))).isEmpty();
  }
}
