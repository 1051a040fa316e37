package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.overlay.linux.PosixFs;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsafeContentException;
import io.carbon.computeimage.testkit.store.TarBuilder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whiteout, opaque, hard link and implied-parent shapes (container-pull-unpack.md section 2,
 * items 15–26 and 34–35), each checked on a real overlayfs mount of the unpacked layers.
 */
class WhiteoutShapesTest {
  @TempDir Path tmp;

  private static String[] list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  private static boolean isWhiteout(Path p) throws Exception {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    return ((Integer) a.get("mode") & 0170000) == 0020000 && (Long) a.get("rdev") == 0L;
  }

  private static boolean isOpaque(Path dir) throws Exception {
    return PosixFs.getXattr(dir, "trusted.overlay.opaque").map(v -> new String(v)).orElse("").equals("y");
  }

  @Test
  void unpack_whiteout_hasItsEntrysTime_notTheClocks() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("etc/").and().file("etc/old", "1").build());
    Path upper = s.add(new TarBuilder().whiteout("etc/old").mtime(1_234_567_890L).build());

    Path wh = upper.resolve("etc/old");
    assertThat(Files.getAttribute(wh, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
    assertThat(Files.getLastModifiedTime(wh, LinkOption.NOFOLLOW_LINKS).toMillis())
        .isEqualTo(1_234_567_890_000L); // unpacking the same layer twice gives the same tree
  }

  @Test
  void unpack_whiteoutThenRecreationInALaterLayer_showsOnlyTheNewContent() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("a/").file("a/foo", "1").dir("b/").file("b/bar", "2").build());
    Path l1 = s.add(new TarBuilder().whiteout("a").build());
    s.add(new TarBuilder().dir("a/").file("a/baz", "3").build());

    assertThat(isWhiteout(l1.resolve("a"))).isTrue();
    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("a"))).containsExactly("baz");
      assertThat(m.merged().resolve("b/bar")).hasContent("2");
    }
  }

  @Test
  void unpack_whiteoutOfADirectoryThenItsChildrenInTheSameLayer_becomesAnOpaqueDirectory()
      throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("d/").file("d/old", "1").build());
    Path l1 = s.add(new TarBuilder().whiteout("d").dir("d/").file("d/x", "2").build());

    assertThat(isOpaque(l1.resolve("d"))).isTrue();
    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("d"))).containsExactly("x");
    }
  }

  @Test
  void unpack_childrenThenWhiteoutOfTheirDirectoryInTheSameLayer_keepsTheChildrenHidesTheLower()
      throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("d/").file("d/old", "1").build());
    s.add(new TarBuilder().dir("d/").file("d/x", "2").whiteout("d").build());

    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("d"))).containsExactly("x");
    }
  }

  @Test
  void unpack_opaqueMarkerAfterTheChildrenInTheSameTar_keepsThisLayersChildren() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("a/").dir("a/b/").dir("a/b/c/").file("a/b/c/old", "1")
        .file("a/keep-lower", "1").build());
    Path l1 = s.add(new TarBuilder().dir("a/").dir("a/b/").dir("a/b/c/").file("a/b/c/foo", "2")
        .opaque("a").build());

    assertThat(isOpaque(l1.resolve("a"))).isTrue();
    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("a"))).containsExactly("b");
      assertThat(list(m.merged().resolve("a/b/c"))).containsExactly("foo");
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void unpack_plainWhiteoutInsideAnOpaqueDirectoryOfTheSameLayer_isDropped(boolean markerFirst)
      throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("d/").file("d/y", "1").file("d/z", "1").build());
    TarBuilder b = new TarBuilder().dir("d/").and();
    if (markerFirst) {
      b.opaque("d").whiteout("d/y").file("d/new", "2");
    } else {
      b.whiteout("d/y").file("d/new", "2").opaque("d");
    }
    Path l1 = s.add(b.build());

    assertThat(list(l1.resolve("d"))).containsExactly("new");
    assertThat(isOpaque(l1.resolve("d"))).isTrue();
    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("d"))).containsExactly("new");
    }
  }

  @Test
  void unpack_dotSlashPrefixedNamesThenPlainWhiteout_matchTheSamePath() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("./a/").dir("./a/b/").file("./a/b/c", "1").file("./a/d", "1").build());
    s.add(new TarBuilder().whiteout("a/b").build());

    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("a"))).containsExactly("d");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {".wh.", ".wh..", ".wh...", "etc/.wh..", "etc/.wh..."})
  void unpack_malformedWhiteoutName_isRefused(String name) throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("etc/").file("etc/keep", "1").build());

    assertThatThrownBy(() -> s.add(new TarBuilder().dir("etc/").file(name, "").build()))
        .isInstanceOf(UnsafeContentException.class)
        .hasMessageContaining("malformed whiteout name")
        .hasMessageContaining(name);
  }

  @Test
  void unpack_whiteoutOfAFileThenWhiteoutInsideIt_isAcceptedAndTheDirectoryStaysDeleted()
      throws Exception {
    // Old Docker emitted /.wh.foo plus /foo/.wh.bar (containers/storage PR #907).
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("foo/").file("foo/bar", "1").build());
    s.add(new TarBuilder().whiteout("foo").whiteout("foo/bar").build());

    try (OverlayMount m = s.mount()) {
      assertThat(m.merged().resolve("foo")).doesNotExist();
    }
  }

  @Test
  void unpack_hardlinkToASymlink_linksTheSymlinkItself() throws Exception {
    LayerStack s = new LayerStack(tmp);
    Path l0 = s.add(new TarBuilder().dir("tmp/").file("tmp/zzz", "z").symlink("xxx", "/tmp/zzz")
        .hardlink("yyy", "xxx").build());

    assertThat(Files.isSymbolicLink(l0.resolve("yyy"))).isTrue();
    assertThat(Files.readSymbolicLink(l0.resolve("yyy"))).hasToString("/tmp/zzz");
    assertThat(Files.getAttribute(l0.resolve("yyy"), "unix:ino", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Files.getAttribute(l0.resolve("xxx"), "unix:ino", LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void unpack_hardlinkWithImpliedParents_createsTheParentsAndLinks() throws Exception {
    LayerStack s = new LayerStack(tmp);
    Path l0 = s.add(new TarBuilder().file("bin/app", "#!app").mode(0755)
        .hardlink("bin/app.runfiles/_main/app_/app", "bin/app").build());

    Path link = l0.resolve("bin/app.runfiles/_main/app_/app");
    assertThat(link).hasContent("#!app");
    assertThat(Files.isSameFile(link, l0.resolve("bin/app"))).isTrue();
  }

  @Test
  void unpack_hardlinkToAFileOnlyInALowerLayer_copiesItUpWithItsMetadata() throws Exception {
    LayerStack s = new LayerStack(tmp);
    Path l0 = s.add(new TarBuilder().file("f", "lower content").mode(04755).owner(1000, 1001)
        .xattr("user.tag", new byte[] {1, 2, (byte) 0x80}).build());
    Path l1 = s.add(new TarBuilder().hardlink("g", "f").build());

    Path g = l1.resolve("g");
    assertThat(g).hasContent("lower content");
    assertThat(Files.isSameFile(g, l0.resolve("f"))).isFalse();
    assertThat(Files.getAttribute(g, "unix:mode")).isEqualTo(0104755);
    assertThat(Files.getAttribute(g, "unix:uid")).isEqualTo(1000);
    assertThat(PosixFs.getXattr(g, "user.tag")).hasValueSatisfying(
        v -> assertThat(v).containsExactly(1, 2, 0x80));
    try (OverlayMount m = s.mount()) {
      assertThat(m.merged().resolve("g")).hasContent("lower content");
      assertThat(m.merged().resolve("f")).hasContent("lower content");
    }
  }

  @Test
  void unpack_hardlinkTargetDeletedInALaterLayer_keepsTheLink() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().file("A", "data").hardlink("Z", "A").build());
    s.add(new TarBuilder().whiteout("A").build());

    try (OverlayMount m = s.mount()) {
      assertThat(m.merged().resolve("A")).doesNotExist();
      assertThat(m.merged().resolve("Z")).hasContent("data");
    }
  }

  @Test
  void unpack_hardlinkToAMissingOrDeletedTarget_isMalformed() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().file("A", "data").build());
    s.add(new TarBuilder().whiteout("A").build());

    assertThatThrownBy(() -> s.add(new TarBuilder().hardlink("B", "A").build()))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("'A' does not exist");
  }

  @Test
  void unpack_impliedParentOverALowerSymlink_keepsTheSymlinkAndWritesThroughIt() throws Exception {
    // usrmerge: layer 1 has usr/lib/ and lib -> usr/lib; layer 2 writes lib/... with no lib/ entry.
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("usr/").dir("usr/lib/").symlink("lib", "usr/lib").build());
    Path l1 = s.add(new TarBuilder().file("lib/systemd/system/x.service", "[Unit]\n").build());

    assertThat(l1.resolve("lib")).doesNotExist();
    assertThat(l1.resolve("usr/lib/systemd/system/x.service")).hasContent("[Unit]");
    try (OverlayMount m = s.mount()) {
      assertThat(Files.isSymbolicLink(m.merged().resolve("lib"))).isTrue();
      assertThat(m.merged().resolve("lib/systemd/system/x.service")).hasContent("[Unit]");
      assertThat(m.merged().resolve("usr/lib/systemd/system/x.service")).hasContent("[Unit]");
    }
  }

  @Test
  void unpack_impliedParentOverALowerAbsoluteSymlink_resolvesInsideTheImageRoot() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("usr/").dir("usr/lib64/").symlink("lib64", "/usr/lib64").build());
    Path l1 = s.add(new TarBuilder().file("lib64/ld.so", "elf").build());

    assertThat(l1.resolve("usr/lib64/ld.so")).hasContent("elf");
    try (OverlayMount m = s.mount()) {
      assertThat(Files.isSymbolicLink(m.merged().resolve("lib64"))).isTrue();
      assertThat(m.merged().resolve("usr/lib64/ld.so")).hasContent("elf");
    }
  }

  @Test
  void unpack_impliedParentOverALowerDirectory_copiesItsModeAndOwner() throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("tmp/").mode(01777).owner(0, 0).dir("srv/").mode(0750).owner(33, 33)
        .build());
    s.add(new TarBuilder().file("tmp/x", "1").file("srv/y", "2").build());

    try (OverlayMount m = s.mount()) {
      assertThat(Files.getAttribute(m.merged().resolve("tmp"), "unix:mode")).isEqualTo(041777);
      assertThat(Files.getAttribute(m.merged().resolve("srv"), "unix:mode")).isEqualTo(040750);
      assertThat(Files.getAttribute(m.merged().resolve("srv"), "unix:uid")).isEqualTo(33);
      assertThat(list(m.merged().resolve("tmp"))).containsExactly("x");
    }
  }

  @Test
  void unpack_imageSuppliedOverlayXattr_isEscapedAndDoesNotMakeTheDirectoryOpaque()
      throws Exception {
    LayerStack s = new LayerStack(tmp);
    s.add(new TarBuilder().dir("d/").file("d/lower", "1").build());
    Path l1 = s.add(new TarBuilder().dir("d/").xattr("trusted.overlay.opaque", "y".getBytes())
        .file("d/upper", "2").build());

    assertThat(isOpaque(l1.resolve("d"))).isFalse();
    assertThat(PosixFs.getXattr(l1.resolve("d"), "trusted.overlay.overlay.opaque")).isPresent();
    try (OverlayMount m = s.mount()) {
      assertThat(list(m.merged().resolve("d"))).containsExactly("lower", "upper");
    }
  }

  @Test
  void unpack_duplicateEntries_lastWinsAcrossTypeChanges() throws Exception {
    LayerStack s = new LayerStack(tmp);
    Path l0 = s.add(new TarBuilder()
        .file("f", "first").file("f", "second")
        .file("x", "file").dir("x/").file("x/child", "c")
        .dir("y/").file("y/child", "c").symlink("y", "f")
        .symlink("z", "f").file("z", "plain")
        .dir("d/").mode(0700).dir("d/").mode(0750)
        .build());

    assertThat(l0.resolve("f")).hasContent("second");
    assertThat(l0.resolve("x/child")).hasContent("c");
    assertThat(Files.isSymbolicLink(l0.resolve("y"))).isTrue();
    assertThat(Files.isSymbolicLink(l0.resolve("z"))).isFalse();
    assertThat(l0.resolve("z")).hasContent("plain");
    assertThat(Files.getAttribute(l0.resolve("d"), "unix:mode")).isEqualTo(040750);
  }

  @Test
  void unpack_hardlinkReplacingAnExistingPathOfTheSameLayer_replacesIt() throws Exception {
    LayerStack s = new LayerStack(tmp);
    Path l0 = s.add(new TarBuilder().file("a", "target").file("b", "old").hardlink("b", "a")
        .dir("d/").file("d/x", "1").hardlink("d", "a").build());

    assertThat(Files.isSameFile(l0.resolve("b"), l0.resolve("a"))).isTrue();
    assertThat(Files.isSameFile(l0.resolve("d"), l0.resolve("a"))).isTrue();
  }
}
