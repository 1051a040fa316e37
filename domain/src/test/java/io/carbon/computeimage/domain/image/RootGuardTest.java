package io.carbon.computeimage.domain.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removal of a whole root only when it is one; the path checks never touch the file system. */
final class RootGuardTest {
  @TempDir Path tmp;

  @Test
  void refusalByPath_fileSystemRoot_refused() {
    Path fsRoot = tmp.getRoot();
    assertThat(RootGuard.refusalByPath(fsRoot, Optional.empty()))
        .hasValueSatisfying(r -> assertThat(r).contains("root of the file system"));
    assertThat(RootGuard.refusalByPath(fsRoot.resolve("a/.."), Optional.empty())).isPresent();
  }

  @Test
  void refusalByPath_homeAndAncestors_refused() {
    Path home = tmp.getRoot().resolve("home/alice");
    assertThat(RootGuard.refusalByPath(home, Optional.of(home)))
        .hasValueSatisfying(r -> assertThat(r).contains("home directory"));
    assertThat(RootGuard.refusalByPath(home.resolve("x/.."), Optional.of(home))).isPresent();
    assertThat(RootGuard.refusalByPath(home.getParent(), Optional.of(home)))
        .hasValueSatisfying(r -> assertThat(r).contains("contains the home directory"));
  }

  @Test
  void refusalByPath_insideHome_accepted() {
    Path home = tmp.getRoot().resolve("home/alice");
    assertThat(RootGuard.refusalByPath(home.resolve(".local/share/carbon"), Optional.of(home))).isEmpty();
  }

  @Test
  void removeRoot_unrelatedDirWithFiles_refusedAndUntouched() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("unrelated/sub"));
    Files.writeString(dir.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> RootGuard.removeRoot(tmp.resolve("unrelated"), Optional.empty()))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(tmp.resolve("unrelated").toString())
        .hasMessageContaining("not a compute-image root");
    assertThat(dir.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void removeRoot_regularFile_refused() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "data");
    Files.writeString(tmp.resolve(RootGuard.MARKER), "");
    assertThatThrownBy(() -> RootGuard.removeRoot(file, Optional.empty()))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("not a directory");
    assertThat(file).hasContent("data");
  }

  @Test
  void removeRoot_homeEvenWithMarker_refusedBeforeAnyIo() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    RootGuard.mark(home);
    assertThatThrownBy(() -> RootGuard.removeRoot(home, Optional.of(home)))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("home directory");
    assertThatThrownBy(() -> RootGuard.removeRoot(tmp, Optional.of(home)))
        .isInstanceOf(InvalidReferenceException.class);
    assertThat(home.resolve(RootGuard.MARKER)).exists();
  }

  @Test
  void removeRoot_missingOrEmpty_noOp() throws Exception {
    assertThat(RootGuard.removeRoot(tmp.resolve("missing"), Optional.empty())).isFalse();
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThat(RootGuard.removeRoot(empty, Optional.empty())).isFalse();
    assertThat(empty).exists();
  }

  @Test
  void removeRoot_markedRootWithOutsideSymlinks_deletesLinksNotTargets() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path precious = Files.writeString(outside.resolve("precious.txt"), "keep");
    Path root = tmp.resolve("root");
    RootGuard.mark(root);
    Path img = Files.createDirectories(root.resolve("reg/ubuntu/24.04/amd64"));
    Files.writeString(img.resolve("disk.img"), "disk");
    Files.createSymbolicLink(img.resolve("dirlink"), outside);
    Files.createSymbolicLink(img.resolve("filelink"), precious);

    assertThat(RootGuard.removeRoot(root, Optional.empty())).isTrue();

    assertThat(root).doesNotExist();
    assertThat(precious).hasContent("keep");
  }

  @Test
  void removeRoot_symlinkToMarkedRoot_refused() throws Exception {
    Path root = tmp.resolve("root");
    RootGuard.mark(root);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), root);
    assertThatThrownBy(() -> RootGuard.removeRoot(link, Optional.empty()))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("symbolic link");
    assertThat(root.resolve(RootGuard.MARKER)).exists();
  }

  @Test
  void mark_diskFull_leavesNoMarkerRatherThanAnEmptyOne() throws Exception {
    Path mountPoint = Files.createDirectories(tmp.resolve("full"));
    run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.toString()); // the tests run as root
    try {
      // every data page taken: files can still be created, not written
      try (OutputStream out = Files.newOutputStream(mountPoint.resolve("fill"))) {
        byte[] page = new byte[4096];
        for (int i = 0; i < 64; i++) {
          out.write(page);
        }
        out.flush();
      } catch (IOException expected) {
        // ENOSPC once the tmpfs is full
      }
      Path root = mountPoint.resolve("root");

      assertThatThrownBy(() -> RootGuard.mark(root))
          .isInstanceOf(LocalStorageException.class)
          .hasMessageContaining("cannot use root directory " + root + ": no space left on device");

      assertThat(root.resolve(RootGuard.MARKER)).doesNotExist();
      try (Stream<Path> left = Files.list(root)) {
        assertThat(left).isEmpty(); // nor its temporary file
      }
    } finally {
      run("umount", mountPoint.toString());
    }
  }

  @Test
  void mark_writesTheWholeMarkerReadableByAll() throws Exception {
    Path root = tmp.resolve("root");
    RootGuard.mark(root);
    assertThat(root.resolve(RootGuard.MARKER)).content().contains("rm-all");
    assertThat(Files.getPosixFilePermissions(root.resolve(RootGuard.MARKER)))
        .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).containsExactly(root.resolve(RootGuard.MARKER));
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }
}
