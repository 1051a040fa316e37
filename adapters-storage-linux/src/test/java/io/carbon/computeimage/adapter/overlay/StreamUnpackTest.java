package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.store.LowerLayers;
import io.carbon.computeimage.testkit.store.TarBuilder;
import io.carbon.computeimage.testkit.store.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacking from a stream over lower layers that may still be unpacking, and the writer threads
 * that create small files: the same layers as unpacking the files in order.
 */
@EnabledOnOs(OS.LINUX)
class StreamUnpackTest {
  @TempDir Path tmp;

  private final OverlayLayerStore store = new OverlayLayerStore();

  private static final byte[] BASE = new TarBuilder()
      .dir("usr/").and().dir("usr/lib/").and().symlink("lib", "usr/lib")
      .and().dir("tmp/").mode(01777).owner(0, 0)
      .and().dir("etc/").and().file("etc/passwd", "root:x:0:0\n").mode(0644)
      .and().file("etc/shadow", "secret\n").mode(0600).owner(0, 42)
      .and().file("usr/lib/libc.so", "ELF").mode(0755)
      .build();
  /** No directory entries: every parent is implied, through the lower usrmerge symlink too. */
  private static final byte[] MID = new TarBuilder()
      .file("lib/libm.so", "ELF2").mode(0755)
      .and().file("tmp/scratch", "s")
      .and().hardlink("etc/passwd-", "etc/passwd")
      .and().whiteout("etc/shadow")
      .build();
  private static final byte[] TOP = new TarBuilder()
      .dir("opt/").and().file("opt/app", "app").mode(04755)
      .and().file("usr/lib/libm.so", "ELF3")
      .and().opaque("tmp")
      .build();

  private LowerLayers counting(List<Path> dirs, AtomicInteger calls) {
    return () -> {
      calls.incrementAndGet();
      return dirs;
    };
  }

  @Test
  void unpackStream_entriesWithTheirOwnParents_neverWaitForLowerLayers() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    AtomicInteger calls = new AtomicInteger();
    byte[] tar = new TarBuilder().dir("opt/").and().dir("opt/x/").and().file("opt/x/a", "a")
        .and().symlink("opt/l", "x").build();

    store.unpack(new ByteArrayInputStream(TarBuilder.gzip(tar)), LayerCompression.GZIP, dir,
        counting(List.of(), calls), ProgressListener.NONE, Cancellation.NONE);

    assertThat(calls).hasValue(0);
    assertThat(dir.resolve("opt/x/a")).hasContent("a");
  }

  @Test
  void unpackStream_impliedParent_waitsForLowerLayersOnce() throws Exception {
    Path lower = Files.createDirectory(tmp.resolve("l0"));
    store.unpack(new ByteArrayInputStream(BASE), LayerCompression.NONE, lower,
        LowerLayers.of(List.of()), ProgressListener.NONE, Cancellation.NONE);
    Path dir = Files.createDirectory(tmp.resolve("l1"));
    AtomicInteger calls = new AtomicInteger();

    store.unpack(new ByteArrayInputStream(MID), LayerCompression.NONE, dir,
        counting(List.of(lower), calls), ProgressListener.NONE, Cancellation.NONE);

    assertThat(calls).hasValue(1);
    assertThat(dir.resolve("usr/lib/libm.so")).hasContent("ELF2"); // through the lower lib symlink
    assertThat(Files.isSymbolicLink(dir.resolve("lib"))).isFalse();
  }

  @Test
  void unpackStream_layersInParallel_sameLayersAsInOrderFromFiles() throws Exception {
    List<byte[]> tars = List.of(BASE, MID, TOP);
    LayerStack inOrder = new LayerStack(Files.createDirectory(tmp.resolve("in-order")));
    for (byte[] t : tars) {
      inOrder.add(TarBuilder.gzip(t), LayerCompression.GZIP);
    }
    Path parallel = Files.createDirectory(tmp.resolve("parallel"));
    List<CompletableFuture<Path>> done = new ArrayList<>();
    List<Future<LayerUnpackResult>> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(tars.size());
    try {
      // the top layers start first: they must wait for the lower ones where they need them
      for (int i = tars.size() - 1; i >= 0; i--) {
        done.add(0, new CompletableFuture<>());
      }
      for (int i = tars.size() - 1; i >= 0; i--) {
        int index = i;
        Path dir = Files.createDirectories(parallel.resolve(String.format("layers/%02d", i)));
        LowerLayers lowers = () -> {
          List<Path> dirs = new ArrayList<>();
          for (int j = 0; j < index; j++) {
            try {
              dirs.add(done.get(j).get());
            } catch (InterruptedException | ExecutionException e) {
              throw new CancelledException("lower layer " + j + " failed", e);
            }
          }
          return dirs;
        };
        results.add(pool.submit(() -> {
          try {
            return store.unpack(new ByteArrayInputStream(TarBuilder.gzip(tars.get(index))),
                LayerCompression.GZIP, dir, lowers, ProgressListener.NONE, Cancellation.NONE);
          } finally {
            done.get(index).complete(dir);
          }
        }));
      }
      for (Future<LayerUnpackResult> r : results) {
        assertThat(r.get().diffId()).isNotNull();
      }
    } finally {
      pool.shutdownNow();
    }

    for (int i = 0; i < tars.size(); i++) {
      Path expected = inOrder.layer(i);
      Path actual = parallel.resolve(String.format("layers/%02d", i));
      assertThat(TreeSnapshot.differences(TreeSnapshot.of(expected), TreeSnapshot.of(actual),
          TreeSnapshot.Options.defaults())).as("layer %d", i).isEmpty();
    }
    assertThat(parallel.resolve("layers/01/etc/passwd-")).hasContent("root:x:0:0");
    assertThat(parallel.resolve("layers/02/usr/lib/libm.so")).hasContent("ELF3");
  }

  @Test
  void unpack_laterEntriesTouchPathsOfPendingWrites_sameResultAsWritingInOrder() throws Exception {
    TarBuilder b = new TarBuilder();
    for (int i = 0; i < 300; i++) {
      b.file("many/f" + i, "content " + i).mode(0600 + (i % 8)).owner(i, i + 1).mtime(1000 + i);
    }
    byte[] tar = b
        .file("a", "a file first").and().dir("a/").and().file("a/x", "then a directory")
        .and().dir("d/").and().file("d/1", "1").and().file("d/2", "2").and().file("d", "now a file")
        .and().file("twice", "old").and().file("twice", "new")
        .and().file("orig", "linked").and().hardlink("link", "orig")
        .and().file("kept", "same layer").and().whiteout("kept")
        .and().file("many/f7", "replaced")
        .build();
    Path dir = Files.createDirectory(tmp.resolve("layer"));

    store.unpack(new ByteArrayInputStream(tar), LayerCompression.NONE, dir,
        LowerLayers.of(List.of()), ProgressListener.NONE, Cancellation.NONE);

    assertThat(dir.resolve("a/x")).hasContent("then a directory");
    assertThat(dir.resolve("d")).isRegularFile().hasContent("now a file");
    assertThat(dir.resolve("twice")).hasContent("new");
    assertThat(dir.resolve("link")).hasContent("linked");
    assertThat(Files.getAttribute(dir.resolve("link"), "unix:ino"))
        .isEqualTo(Files.getAttribute(dir.resolve("orig"), "unix:ino"));
    assertThat(dir.resolve("kept")).hasContent("same layer");
    assertThat(dir.resolve("many/f7")).hasContent("replaced");
    for (int i = 0; i < 300; i++) {
      if (i == 7) {
        continue;
      }
      Path f = dir.resolve("many/f" + i);
      assertThat(f).hasContent("content " + i);
      assertThat(Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS))
          .isEqualTo(0100000 | 0600 + (i % 8));
      assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(i);
      assertThat(Files.getAttribute(f, "unix:gid")).isEqualTo(i + 1);
      assertThat(Files.getLastModifiedTime(f).toMillis()).isEqualTo((1000L + i) * 1000);
    }
  }
}
