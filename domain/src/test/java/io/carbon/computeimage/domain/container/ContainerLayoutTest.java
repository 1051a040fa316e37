package io.carbon.computeimage.domain.container;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.store.LayerCompression;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

final class ContainerLayoutTest {
  private final Path root = Path.of("/r");

  @Test
  void imageDir_hubTag_registryRepoTag() throws Exception {
    ContainerLayout l = new ContainerLayout(root, OsFamily.LINUX);
    assertThat(l.imageDir(ImageReference.parse("ubuntu:24.04")))
        .isEqualTo(Path.of("/r/docker.io/library/ubuntu/24.04"));
  }

  @Test
  void imageDir_digestRef_safeDigestDirName() throws Exception {
    String hex = "0f".repeat(32);
    ContainerLayout l = new ContainerLayout(root, OsFamily.LINUX);
    assertThat(l.imageDir(ImageReference.parse("127.0.0.1:5000/a/b:1@sha256:" + hex)))
        .isEqualTo(Path.of("/r/127.0.0.1_5000/a/b/sha256-" + hex));
  }

  @Test
  void imageDir_windowsHostWithPort_colonEscaped() throws Exception {
    ContainerLayout l = new ContainerLayout(root, OsFamily.WINDOWS);
    assertThat(l.imageDir(ImageReference.parse("localhost:5000/app:v1")).toString())
        .doesNotContain(":5000")
        .contains("localhost_5000");
  }

  @Test
  void lowerDirOption_pathWithColonAndComma_escaped() {
    ContainerLayout l = new ContainerLayout(Path.of("/r:x,y"), OsFamily.LINUX);
    ContainerPaths p = l.paths(Path.of("/r:x,y/i"), 2);
    assertThat(p.lowerDirOption()).isEqualTo("/r\\:x\\,y/i/layers/01:/r\\:x\\,y/i/layers/00");
  }

  @Test
  void cachedBlob_byCompression_contentAddressedName() throws Exception {
    Digest d = Digest.parse("sha256:" + "ab".repeat(32));
    ContainerLayout l = new ContainerLayout(root, OsFamily.LINUX);
    assertThat(l.cachedBlob(d, LayerCompression.GZIP))
        .isEqualTo(Path.of("/r/cache/sha256-" + "ab".repeat(32) + ".tar.gz"));
    assertThat(l.cachedBlob(d, LayerCompression.ZSTD).toString()).endsWith(".tar.zst");
    assertThat(l.cachedBlob(d, LayerCompression.NONE).toString()).endsWith(".tar");
  }

  @Test
  void paths_threeLayers_lowerDirTopFirst() {
    ContainerLayout l = new ContainerLayout(root, OsFamily.LINUX);
    ContainerPaths p = l.paths(Path.of("/r/x/y/z"), 3);
    assertThat(p.layers()).containsExactly(
        Path.of("/r/x/y/z/layers/00"), Path.of("/r/x/y/z/layers/01"), Path.of("/r/x/y/z/layers/02"));
    assertThat(p.lowerDirOption())
        .isEqualTo("/r/x/y/z/layers/02:/r/x/y/z/layers/01:/r/x/y/z/layers/00");
    assertThat(p.upper()).isEqualTo(Path.of("/r/x/y/z/upper"));
    assertThat(p.cache()).isEqualTo(Path.of("/r/cache"));
  }
}
