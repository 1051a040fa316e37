package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.adapter.overlay.linux.PosixFs;
import io.carbon.computeimage.testkit.store.TarBuilder;
import io.carbon.computeimage.testkit.store.TreeSnapshot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merge shapes where a per-layer extraction must add whiteouts or opaque directories that the tar
 * does not spell out (a type flip inside one layer, an opaque marker at the layer root) or must
 * add nothing (an opaque marker under a missing parent). Each image is built from the same tars
 * with {@code umoci raw add-layer}; the overlayfs mount of our layers must equal {@code umoci
 * unpack} (without {@code --keep-dirlinks}: a directory entry replaces a symlink, as in containerd).
 */
class UmociMergeShapesTest {
  @TempDir Path tmp;

  private static boolean isWhiteout(Path p) throws Exception {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) a.get("mode") & 0170000) == 0020000 && (Long) a.get("rdev") == 0L;
  }

  private static boolean isOpaque(Path dir) throws Exception {
    return PosixFs.getXattr(dir, "trusted.overlay.opaque")
        .map(v -> new String(v, StandardCharsets.UTF_8)).orElse("").equals("y");
  }

  /** Unpacks the tars with our store and with umoci; returns the merged overlay snapshot. */
  private TreeSnapshot assertSameAsUmoci(byte[]... tars) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("umoci"));
    List<String> cmd = new ArrayList<>();
    Path script = work.resolve("build.sh");
    try (InputStream in = getClass().getResourceAsStream("build-umoci-layers.sh")) {
      Files.write(script, in.readAllBytes());
    }
    cmd.add("bash");
    cmd.add(script.toString());
    cmd.add(work.toString());
    LayerStack stack = new LayerStack(Files.createDirectories(tmp.resolve("ours")));
    for (int i = 0; i < tars.length; i++) {
      cmd.add(Files.write(work.resolve("l" + i + ".tar"), tars[i]).toString());
      stack.add(tars[i]);
    }
    run(cmd);
    TreeSnapshot reference = TreeSnapshot.of(work.resolve("ref/rootfs"));
    TreeSnapshot merged;
    try (OverlayMount m = stack.mount()) {
      merged = TreeSnapshot.of(m.merged());
    }
    assertThat(TreeSnapshot.differences(reference, merged, TreeSnapshot.Options.defaults()))
        .isEmpty();
    return merged;
  }

  @Test
  void unpack_fileThenDirectoryAtTheSamePathInOneLayer_hidesTheLowerDirectoryContent()
      throws Exception {
    byte[] lower = new TarBuilder().dir("a/").file("a/x", "lower").dir("keep/")
        .file("keep/k", "k").build();
    byte[] upper = new TarBuilder().file("a", "file").dir("a/").file("a/z", "z").build();

    TreeSnapshot merged = assertSameAsUmoci(lower, upper);

    assertThat(merged.nodes()).containsKeys("a/z", "keep/k").doesNotContainKey("a/x");
    assertThat(isOpaque(tmp.resolve("ours/layers/01/a"))).isTrue();
  }

  @Test
  void unpack_symlinkThenDirectoryAtTheSamePathInOneLayer_hidesTheLowerDirectoryContent()
      throws Exception {
    byte[] lower = new TarBuilder().dir("a/").file("a/x", "lower").dir("e/").build();
    byte[] upper = new TarBuilder().symlink("a", "e").dir("a/").file("a/z", "z").build();

    TreeSnapshot merged = assertSameAsUmoci(lower, upper);

    assertThat(merged.nodes()).containsKey("a/z").doesNotContainKey("a/x");
    assertThat(merged.nodes().get("a").type()).isEqualTo("dir");
  }

  @Test
  void unpack_fileThenAChildUnderItInOneLayer_hidesTheLowerDirectoryContent() throws Exception {
    // umoci refuses this shape ("mkdir parent: not a directory"); the store replaces the file by a
    // directory (docs/overlay.md), which must then hide the lower directory the file had deleted
    LayerStack stack = new LayerStack(tmp);
    stack.add(new TarBuilder().dir("a/").file("a/x", "lower").build());
    Path upper = stack.add(new TarBuilder().file("a", "file").file("a/z", "z").build());

    assertThat(isOpaque(upper.resolve("a"))).isTrue();
    try (OverlayMount m = stack.mount()) {
      try (var s = Files.list(m.merged().resolve("a"))) {
        assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("z");
      }
    }
  }

  @Test
  void unpack_opaqueMarkerAtTheLayerRoot_hidesEveryLowerNameButKeepsThisLayersEntries()
      throws Exception {
    byte[] base = new TarBuilder().file("x", "x").dir("d/").file("d/old", "old")
        .dir("e/").file("e/gone", "g").symlink("s", "x").build();
    byte[] middle = new TarBuilder().file("m", "m").whiteout("e").build();
    // entries before and after the marker: this layer's d/ is kept, the lower d/old is not
    byte[] top = new TarBuilder().dir("d/").file("d/new", "new").opaque("")
        .file("y", "y").whiteout("m").build();

    TreeSnapshot merged = assertSameAsUmoci(base, middle, top);

    assertThat(merged.nodes()).containsKeys("d/new", "y")
        .doesNotContainKeys("x", "d/old", "e", "m", "s");
    Path l2 = tmp.resolve("ours/layers/02");
    assertThat(isWhiteout(l2.resolve("x"))).isTrue();
    assertThat(isWhiteout(l2.resolve("m"))).isTrue();
    assertThat(isWhiteout(l2.resolve("s"))).isTrue();
    assertThat(l2.resolve("e")).doesNotExist(); // already deleted below: nothing to hide
    assertThat(isOpaque(l2.resolve("d"))).isTrue();
  }

  @Test
  void unpack_opaqueMarkerUnderAMissingParent_createsNothing() throws Exception {
    byte[] lower = new TarBuilder().file("x", "x").symlink("s", "/nowhere/at/all").build();
    byte[] upper = new TarBuilder().opaque("nodir/sub").opaque("s")
        .whiteout("nodir/sub/foo").build();

    TreeSnapshot merged = assertSameAsUmoci(lower, upper);

    assertThat(merged.nodes()).doesNotContainKeys("nodir", "nowhere");
    try (var s = Files.list(tmp.resolve("ours/layers/01"))) {
      assertThat(s.toList()).isEmpty();
    }
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    }
  }
}
