package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removal of an image whose directories back a mounted overlay is refused, whether the overlay was
 * mounted with absolute paths or with paths relative to where its mounter stood; an image that
 * only looks like the mounted one is not.
 */
final class InUseTest {
  @TempDir Path tmp;

  private Path image(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("root/reg/" + name + "/1"));
    for (String d : List.of("layers/00/etc", "layers/01", "upper", "work")) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.writeString(dir.resolve("layers/00/etc/os-release"), "ID=test\n");
    Files.writeString(dir.resolve("layers/00/base"), "base\n");
    Files.writeString(dir.resolve("layers/01/app"), "app\n");
    return dir;
  }

  private static void mount(Path cwd, String options, Path mountPoint) throws Exception {
    Process p = new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o", options, mountPoint.toString())
        .directory(cwd.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("mount " + options + " failed: " + out);
    }
  }

  @Test
  void requireNotInUse_overlayMountedWithRelativePathsFromInsideTheImage_refused() throws Exception {
    Path a = image("a");
    Path b = image("b"); // same names and contents, other files
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    OverlayLayerStore store = new OverlayLayerStore();
    mount(a, "lowerdir=layers/01:layers/00,upperdir=upper,workdir=work", merged);
    try {
      assertThatThrownBy(() -> store.requireNotInUse(a))
          .isInstanceOf(LocalStorageException.class)
          .hasMessageContaining("the overlay mounted at " + merged);
      assertThatCode(() -> store.requireNotInUse(b)).doesNotThrowAnyException();
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
    assertThatCode(() -> store.requireNotInUse(a)).doesNotThrowAnyException();
  }

  @Test
  void requireNotInUse_relativeLowerOnlyFromASiblingDirectory_refused() throws Exception {
    Path a = image("a");
    Path b = image("b");
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    OverlayLayerStore store = new OverlayLayerStore();
    // read-only overlay from b's directory of a's layers: only the names after '..' are known
    mount(b, "lowerdir=../../a/1/layers/01:../../a/1/layers/00", merged);
    try {
      assertThatThrownBy(() -> store.requireNotInUse(a)).hasMessageContaining(merged.toString());
      assertThatCode(() -> store.requireNotInUse(b)).doesNotThrowAnyException();
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
  }

  @Test
  void requireNotInUse_absolutePaths_refusedAsBefore() throws Exception {
    Path a = image("a");
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    mount(tmp, "lowerdir=" + a.resolve("layers/01") + ":" + a.resolve("layers/00"), merged);
    try {
      assertThatThrownBy(() -> new OverlayLayerStore().requireNotInUse(a))
          .hasMessageContaining("nothing was deleted");
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
  }

  @Test
  void requireNotInUse_mountedThroughASymlinkedRoot_orAsubdirectoryOfALayer_refused() throws Exception {
    Path a = image("a");
    Path alias = Files.createSymbolicLink(tmp.resolve("alias"), tmp.resolve("root"));
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    OverlayLayerStore store = new OverlayLayerStore();
    // the options name the image through the link; the removal names it directly
    Path viaLink = alias.resolve(tmp.resolve("root").relativize(a));
    mount(tmp, "lowerdir=" + viaLink.resolve("layers/01") + ":" + viaLink.resolve("layers/00/etc"), merged);
    try {
      assertThatThrownBy(() -> store.requireNotInUse(a)).hasMessageContaining(merged.toString());
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
    // relative, a subdirectory of a layer, from inside the image directory
    mount(a, "lowerdir=layers/01:layers/00/etc", merged);
    try {
      assertThatThrownBy(() -> store.requireNotInUse(a)).hasMessageContaining(merged.toString());
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
  }

  @Test
  void requireNotInUse_relativeUpperOnly_orDirectoriesCopiedUp_refused() throws Exception {
    Path a = image("a");
    Path b = image("b");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("f"), "f");
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    OverlayLayerStore store = new OverlayLayerStore();
    // lower elsewhere, upper and work relative and still empty
    mount(a, "lowerdir=" + elsewhere + ",upperdir=upper,workdir=work", merged);
    try {
      assertThatThrownBy(() -> store.requireNotInUse(a)).hasMessageContaining(merged.toString());
      assertThatCode(() -> store.requireNotInUse(b)).doesNotThrowAnyException();
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
    // an image whose top level holds only directories, written to through the mount (copy-up)
    Path c = Files.createDirectories(tmp.resolve("root/reg/c/1"));
    for (String d : List.of("layers/00/usr/bin", "layers/00/etc", "layers/01/usr/lib", "upper", "work")) {
      Files.createDirectories(c.resolve(d));
    }
    mount(c, "lowerdir=layers/01:layers/00,upperdir=upper,workdir=work", merged);
    try {
      Files.writeString(merged.resolve("usr/new"), "x");
      Files.writeString(merged.resolve("etc/new"), "x");
      assertThatThrownBy(() -> store.requireNotInUse(c)).hasMessageContaining(merged.toString());
    } finally {
      OverlayMount.run("umount", merged.toString());
    }
  }

  @Test
  void requireNotInUse_mountInAnotherMountNamespace_refusedNamingIt() throws Exception {
    Path a = image("a");
    Path merged = Files.createDirectories(tmp.resolve("merged"));
    String options = "lowerdir=" + a.resolve("layers/01") + ":" + a.resolve("layers/00");
    Process other = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c",
        "mount -t overlay overlay -o " + options + " " + merged + " && echo mounted && read x")
        .redirectErrorStream(true).start();
    try {
      byte[] said = other.getInputStream().readNBytes(8);
      assertThat(new String(said, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("mounted\n");
      assertThat(Files.list(merged).count()).as("not mounted in this namespace").isZero();
      assertThatThrownBy(() -> new OverlayLayerStore().requireNotInUse(a))
          .hasMessageContaining(merged.toString())
          .hasMessageContaining("in the mount namespace of process");
    } finally {
      other.getOutputStream().close();
      other.waitFor(30, TimeUnit.SECONDS);
    }
    assertThatCode(() -> new OverlayLayerStore().requireNotInUse(a)).doesNotThrowAnyException();
  }
}
