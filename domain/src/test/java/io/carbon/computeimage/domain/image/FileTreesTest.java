package io.carbon.computeimage.domain.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recursive deletion: links are removed, never followed; other mounts are never entered. */
final class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void deleteRecursively_treeWithLinks_deletesLinksKeepsTargets() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f"), "x");
    Files.createSymbolicLink(tmp.resolve("tree/a/link"), outside);
    Files.createSymbolicLink(tmp.resolve("tree/filelink"), outside.resolve("keep"));

    FileTrees.deleteRecursively(tmp.resolve("tree"));

    assertThat(tmp.resolve("tree")).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("keep");
  }

  @Test
  void deleteContentExcept_leavesOnlyThatEntry_linksUnlinkedNotFollowed() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("img"));
    Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep me");
    Files.createDirectories(dir.resolve("layers/00/etc"));
    Files.writeString(dir.resolve("layers/00/etc/os-release"), "x");
    Files.createSymbolicLink(dir.resolve("link"), outside);
    Files.writeString(dir.resolve("image-record.properties"), "status=ready");
    Path lock = Files.writeString(dir.resolve(".pull.lock"), "");
    FileTrees.deleteContentExcept(dir, lock);
    try (var s = Files.list(dir)) {
      assertThat(s).containsExactly(lock);
    }
    assertThat(outside).hasContent("keep me");
    FileTrees.deleteContentExcept(tmp.resolve("missing"), lock); // nothing there: no error
  }

  @Test
  void deleteRecursively_missingPath_noOp() throws Exception {
    FileTrees.deleteRecursively(tmp.resolve("absent"));
    assertThat(tmp.resolve("absent")).doesNotExist();
  }

  @Test
  void deleteRecursively_mountInside_stopsAndLeavesTheMountedFilesystemAlone() throws Exception {
    // the tests run as root (CI and the dev machines): a tmpfs mounted inside the tree
    Path tree = Files.createDirectories(tmp.resolve("tree"));
    // names sorted before and after the mount point: neither may be deleted
    Path upper = Files.createDirectories(tree.resolve("a-upper"));
    Files.writeString(upper.resolve("written-through-the-mount"), "user data");
    Files.writeString(tree.resolve("z-record"), "record");
    Path mountPoint = Files.createDirectories(tree.resolve("m/rootfs"));
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.toString());
    try {
      Files.writeString(mountPoint.resolve("precious"), "data");

      assertThatThrownBy(() -> FileTrees.deleteRecursively(tree))
          .isInstanceOf(LocalStorageException.class)
          .hasMessageContaining(mountPoint.toString())
          .hasMessageContaining("another mounted file system")
          .hasMessageContaining("nothing was deleted");
      assertThat(mountPoint.resolve("precious")).hasContent("data");
      assertThat(upper.resolve("written-through-the-mount")).hasContent("user data");
      assertThat(tree.resolve("z-record")).hasContent("record");
    } finally {
      run("umount", mountPoint.toString());
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
