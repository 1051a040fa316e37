package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.UnsafeContentException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.testkit.store.Sentinels;
import io.carbon.computeimage.testkit.store.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Breakout shapes beyond the contract test (section 2 items 1–3, 7, 35): each is refused, or
 * contained inside the layer directory, and nothing outside the target changes.
 */
class BreakoutTest {
  @TempDir Path tmp;

  private final OverlayLayerStore store = new OverlayLayerStore();

  private void unpack(byte[] tar, Path dir, List<Path> lowers) throws Exception {
    Path blob = Files.createTempFile(tmp, "blob", ".tar");
    Files.write(blob, tar);
    store.unpack(blob, LayerCompression.NONE, dir, lowers, ProgressListener.NONE, Cancellation.NONE);
  }

  private void assertRefused(byte[] tar, String messagePart) throws Exception {
    Sentinels s = Sentinels.create(Files.createDirectory(tmp.resolve("base")));
    List<String> before = s.outsideListing();

    assertThatThrownBy(() -> unpack(tar, s.target(), List.of()))
        .isInstanceOf(UnsafeContentException.class)
        .hasMessageContaining(messagePart)
        .hasMessageContaining(s.target().toString());
    assertThat(s.outsideListing()).isEqualTo(before);
  }

  @Test
  void unpack_directorySwappedForAnAbsoluteSymlinkMidStream_staysInsideTheLayer() throws Exception {
    // CVE-2025-47290 shape: a/, a/x, then a -> <outside dir>, then a/... ; the symlink is resolved
    // inside the image root (as the container would see it), never on the host.
    Sentinels s = Sentinels.create(Files.createDirectory(tmp.resolve("base")));
    List<String> before = s.outsideListing();
    byte[] tar = new TarBuilder().dir("a/").file("a/x", "1")
        .symlink("a", s.outside().toString())
        .file("a/secret", "owned\n")
        .build();

    unpack(tar, s.target(), List.of());

    assertThat(s.outsideListing()).isEqualTo(before);
    assertThat(Files.isSymbolicLink(s.target().resolve("a"))).isTrue();
    Path inside = s.target().resolve(s.outside().toString().substring(1)).resolve("secret");
    assertThat(inside).hasContent("owned");
  }

  @Test
  void unpack_directorySwappedForARelativeEscapingSymlinkMidStream_isRefused() throws Exception {
    assertRefused(new TarBuilder().dir("a/").file("a/x", "1").symlink("a", "../../..")
        .file("a/outside/secret", "owned\n").build(), "a/outside/secret");
  }

  @Test
  void unpack_symlinkChainLeadingOut_isRefused() throws Exception {
    assertRefused(new TarBuilder().dir("d/").symlink("d/up", "..").symlink("d/up2", "up/..")
        .file("d/up2/x", "owned").build(), "d/up2/x");
  }

  @Test
  void unpack_whiteoutThroughAnEscapingSymlink_isRefused() throws Exception {
    assertRefused(new TarBuilder().symlink("l", "../10").whiteout("l/x").build(), "l/.wh.x");
  }

  @Test
  void unpack_hardlinkThroughAnEscapingSymlink_isRefused() throws Exception {
    // CVE-2021-32760 shape variant: the link target path walks through a symlink out of the root.
    assertRefused(new TarBuilder().symlink("s", "../../outside").hardlink("h", "s/secret")
        .mode(04777).build(), "s/secret");
  }

  @Test
  void unpack_hardlinkToASymlinkPointingOut_linksTheSymlinkAndChangesNothingOutside()
      throws Exception {
    Sentinels s = Sentinels.create(Files.createDirectory(tmp.resolve("base")));
    List<String> before = s.outsideListing();
    byte[] tar = new TarBuilder().symlink("s", s.outside().resolve("secret").toString())
        .hardlink("h", "s").mode(04777).build();

    unpack(tar, s.target(), List.of());

    assertThat(Files.isSymbolicLink(s.target().resolve("h"))).isTrue();
    assertThat(s.outsideListing()).isEqualTo(before);
  }

  @Test
  void unpack_symlinkInALowerLayerLeadingOut_isRefusedForEntriesThroughIt() throws Exception {
    Sentinels s = Sentinels.create(Files.createDirectory(tmp.resolve("base")));
    Path lower = Files.createDirectories(tmp.resolve("base/layers/0"));
    Files.createSymbolicLink(lower.resolve("lib"), Path.of("../../../outside"));
    List<String> before = s.outsideListing();

    assertThatThrownBy(() -> unpack(new TarBuilder().file("lib/secret", "owned").build(),
            s.target(), List.of(lower)))
        .isInstanceOf(UnsafeContentException.class)
        .hasMessageContaining("lib/secret");
    assertThat(s.outsideListing()).isEqualTo(before);
  }

  @Test
  void unpack_dotDotInsideAnEntryName_isRefusedEvenWhenItStaysInside() throws Exception {
    assertRefused(new TarBuilder().dir("a/").file("a/../b", "x").build(), "a/../b");
  }

  @Test
  void unpack_symlinkNamedDotSlash_isRefused() throws Exception {
    assertRefused(new TarBuilder().symlink("./", "/etc").file("passwd", "owned").build(),
        "would replace the layer root");
  }
}
