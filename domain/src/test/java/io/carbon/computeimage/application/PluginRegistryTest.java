package io.carbon.computeimage.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.app.FakeDistroCatalog;
import io.carbon.computeimage.testkit.app.FakePlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginRegistryTest {
  private static final HostInfo LINUX = new HostInfo(OsFamily.LINUX, Arch.AMD64, false);

  private record Conv(String name, int priority, OsFamily only, Set<DiskFormat> writes) implements DiskConverter {
    @Override
    public boolean isSupported(HostInfo host) {
      return only == null || host.os() == only;
    }

    @Override
    public Set<DiskFormat> readableFormats() {
      return Set.of(DiskFormat.QCOW2);
    }

    @Override
    public Set<DiskFormat> writableFormats() {
      return writes;
    }

    @Override
    public DiskFormat detect(Path source) {
      return DiskFormat.QCOW2;
    }

    @Override
    public ConversionResult convert(Path s, Path d, DiskFormat t, ProgressListener l, Cancellation c) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void diskConverter_several_picksSupportedHighestPriorityThatFits() throws Exception {
    Conv low = new Conv("low", 1, null, Set.of(DiskFormat.RAW, DiskFormat.VHD_FIXED));
    Conv high = new Conv("high", 10, null, Set.of(DiskFormat.RAW));
    Conv windowsOnly = new Conv("win", 100, OsFamily.WINDOWS, Set.of(DiskFormat.RAW));
    PluginRegistry reg =
        PluginRegistry.of(List.of(new FakePlugin("a").with(low).with(windowsOnly), new FakePlugin("b").with(high)), LINUX);
    assertThat(reg.diskConverter(DiskFormat.QCOW2, DiskFormat.RAW)).containsSame(high);
    assertThat(reg.diskConverter(DiskFormat.QCOW2, DiskFormat.VHD_FIXED)).containsSame(low);
    assertThat(reg.diskConverter(DiskFormat.RAW, DiskFormat.RAW)).isEmpty();
    assertThat(reg.kernelExtractor()).isEmpty();
    assertThat(reg.describe()).hasSize(2);
  }

  @Test
  void of_twoCatalogsSameAlias_rejectedNamingBoth() {
    FakeDistroCatalog a = new FakeDistroCatalog("almalinux", "repo.almalinux.org", "alma");
    FakeDistroCatalog b = new FakeDistroCatalog("alma", "example.org");
    assertThatThrownBy(() -> PluginRegistry.of(List.of(new FakePlugin("p1").with(a), new FakePlugin("p2").with(b)), LINUX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("'alma'")
        .hasMessageContaining("almalinux");
  }

  @Test
  void catalogs_byNameOrAliasAnyCase() throws Exception {
    FakeDistroCatalog a = new FakeDistroCatalog("almalinux", "repo.almalinux.org", "alma");
    PluginRegistry reg = PluginRegistry.of(List.of(new FakePlugin("p").with(a)), LINUX);
    assertThat(reg.catalogs().find("ALMA")).containsSame(a);
    assertThat(reg.catalogs().require("almalinux")).isSameAs(a);
    assertThat(reg.catalogs().names()).containsExactly("almalinux");
  }

  @Test
  void load_missingPluginDir_fails(@TempDir Path tmp) {
    assertThatThrownBy(() -> PluginRegistry.load(getClass().getClassLoader(), List.of(tmp.resolve("nope")), LINUX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void load_pluginDirIsAFile_failsSayingNotADirectory(@TempDir Path tmp) throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    assertThatThrownBy(() -> PluginRegistry.load(getClass().getClassLoader(), List.of(file), LINUX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessage("plugin directory " + file + " is not a directory");
  }

  @Test
  void load_dirWithoutJars_fails(@TempDir Path tmp) {
    assertThatThrownBy(() -> PluginRegistry.load(getClass().getClassLoader(), List.of(tmp), LINUX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("no .jar");
  }

  @Test
  void load_jarWithoutServicesFile_failsNamingJar(@TempDir Path tmp) throws Exception {
    Path jar = tmp.resolve("empty.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry("README"));
      out.write("x".getBytes());
    }
    assertThatThrownBy(() -> PluginRegistry.load(getClass().getClassLoader(), List.of(tmp), LINUX))
        .isInstanceOf(PluginLoadException.class)
        .hasMessageContaining("empty.jar")
        .hasMessageContaining("META-INF/services");
  }
}
