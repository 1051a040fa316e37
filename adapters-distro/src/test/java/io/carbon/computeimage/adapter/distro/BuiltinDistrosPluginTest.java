package io.carbon.computeimage.adapter.distro;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class BuiltinDistrosPluginTest {
  @Test
  void distroCatalogs_nineDistrosWithDistinctNamesAndAliases() {
    List<DistroCatalog> catalogs = new BuiltinDistrosPlugin().distroCatalogs();

    assertThat(catalogs).extracting(DistroCatalog::name)
        .containsExactly("ubuntu", "debian", "fedora", "opensuse", "rocky", "almalinux", "centos", "alpine", "arch");
    List<String> all = new ArrayList<>();
    catalogs.forEach(c -> { all.add(c.name()); all.addAll(c.aliases()); });
    assertThat(all).doesNotHaveDuplicates()
        .contains("alma", "rockylinux", "archlinux", "centos-stream", "opensuse-leap", "opensuse-tumbleweed");
  }

  @Test
  void serviceLoader_findsBuiltinDistrosPlugin() {
    List<ComputeImagePlugin> found = new ArrayList<>();
    ServiceLoader.load(ComputeImagePlugin.class).forEach(found::add);

    assertThat(found).filteredOn(p -> p instanceof BuiltinDistrosPlugin).hasSize(1);
    assertThat(found).filteredOn(p -> p.name().equals("builtin-distros"))
        .first().extracting(p -> p.distroCatalogs().size()).isEqualTo(9);
  }

  @Test
  void defaultRegistries_areTheRealMirrorHosts() {
    assertThat(new BuiltinDistrosPlugin().distroCatalogs()).extracting(DistroCatalog::defaultRegistry)
        .containsExactly(
            "cloud-images.ubuntu.com", "cloud.debian.org", "download.fedoraproject.org",
            "download.opensuse.org", "dl.rockylinux.org", "repo.almalinux.org", "cloud.centos.org",
            "dl-cdn.alpinelinux.org", "geo.mirror.pkgbuild.com");
  }
}
