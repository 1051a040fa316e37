package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.store.LayerStore;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class OverlayPluginTest {
  @Test
  void serviceLoader_classpath_findsTheOverlayStoreSupportedOnLinuxOnly() {
    List<LayerStore> stores = ServiceLoader.load(ComputeImagePlugin.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(p -> p instanceof OverlayPlugin)
        .flatMap(p -> p.layerStores().stream())
        .toList();

    assertThat(stores).singleElement().satisfies(s -> {
      assertThat(s.name()).isEqualTo("overlayfs");
      assertThat(s.isSupported(new HostInfo(OsFamily.LINUX, Arch.values()[0], true))).isTrue();
      assertThat(s.isSupported(new HostInfo(OsFamily.WINDOWS, Arch.values()[0], true))).isFalse();
    });
  }

  @Test
  void unpack_notRoot_failsWithAClearUnsupportedError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws Exception {
    java.nio.file.Path blob = java.nio.file.Files.write(tmp.resolve("b.tar"),
        new io.carbon.computeimage.testkit.store.TarBuilder().file("a", "x").build());
    java.nio.file.Path dir = java.nio.file.Files.createDirectory(tmp.resolve("l"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new OverlayLayerStore(() -> 1000)
            .unpack(blob, io.carbon.computeimage.ports.store.LayerCompression.NONE, dir,
                io.carbon.computeimage.ports.progress.ProgressListener.NONE,
                io.carbon.computeimage.ports.progress.Cancellation.NONE))
        .isInstanceOf(io.carbon.computeimage.ports.error.UnsupportedFeatureException.class)
        .hasMessageContaining("needs root")
        .hasMessageContaining("rootless");
    assertThat(dir).isEmptyDirectory();
  }
}
