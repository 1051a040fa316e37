package io.carbon.computeimage.domain.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.testkit.app.FakeDistroCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class VmLayoutTest {
  private final FakeDistroCatalog ubuntu =
      new FakeDistroCatalog("ubuntu", "cloud-images.ubuntu.com")
          .withRelease("24.04", Set.of(Arch.AMD64, Arch.ARM64), "noble");
  private final Path root = Path.of("root");

  private static List<String> segments(Path root, Path p) {
    List<String> out = new ArrayList<>();
    root.relativize(p).forEach(s -> out.add(s.toString()));
    return out;
  }

  @Test
  void paths_linuxDefaultRegistry_matchesSeedLayout() throws Exception {
    VmPaths p = new VmLayout(root, OsFamily.LINUX).paths(VmRef.of("ubuntu:24.04", "amd64"), ubuntu);
    assertThat(segments(root, p.disk()))
        .containsExactly("cloud-images.ubuntu.com", "ubuntu", "24.04", "amd64", "disk.img");
    assertThat(segments(root, p.cache())).containsExactly("cache", "ubuntu-24.04-amd64.qcow2");
    assertThat(p.dir()).isEqualTo(p.disk().getParent());
    assertThat(p.cacheDir()).isEqualTo(root.resolve("cache"));
    assertThat(p.diskFormat()).isEqualTo(DiskFormat.RAW);
    assertThat(p.kernel()).isEmpty();
  }

  @Test
  void paths_codenameAndNumber_shareOnePath() throws Exception {
    VmLayout layout = new VmLayout(root, OsFamily.LINUX);
    assertThat(layout.paths(VmRef.of("ubuntu:noble", "arm64"), ubuntu))
        .isEqualTo(layout.paths(VmRef.of("ubuntu:24.04", "arm64"), ubuntu));
  }

  @Test
  void paths_windows_fixedVhdAndSafeRegistryName() throws Exception {
    VmRef ref =
        VmRef.builder().image("ubuntu:noble").arch("arm64").registry("http://127.0.0.1:8080/m").extractKernel(true).build();
    VmPaths p = new VmLayout(root, OsFamily.WINDOWS).paths(ref, ubuntu);
    assertThat(segments(root, p.disk()))
        .containsExactly("127.0.0.1_8080", "ubuntu", "24.04", "arm64", "disk.vhd");
    assertThat(p.diskFormat()).isEqualTo(DiskFormat.VHD_FIXED);
    assertThat(p.kernel()).contains(p.dir().resolve("vmlinuz"));
    assertThat(p.initrd()).contains(p.dir().resolve("initrd"));
    assertThat(p.cmdline()).contains(p.dir().resolve("cmdline"));
  }

  @Test
  void paths_linuxOverrideWithPort_keepsHostColonPort() throws Exception {
    VmRef ref = VmRef.builder().image("ubuntu:24.04").arch("amd64").registry("http://127.0.0.1:8080").build();
    VmPaths p = new VmLayout(root, OsFamily.LINUX).paths(ref, ubuntu);
    assertThat(segments(root, p.dir())).containsExactly("127.0.0.1:8080", "ubuntu", "24.04", "amd64");
  }

  @Test
  void paths_bareHostOverride_usesHost() throws Exception {
    VmRef ref = VmRef.builder().image("ubuntu:24.04").arch("amd64").registry("mirror.example.org").build();
    VmPaths p = new VmLayout(root, OsFamily.LINUX).paths(ref, ubuntu);
    assertThat(segments(root, p.dir()).get(0)).isEqualTo("mirror.example.org");
  }

  @Test
  void paths_aliasName_usesCatalogName() throws Exception {
    FakeDistroCatalog alma =
        new FakeDistroCatalog("almalinux", "repo.almalinux.org", "alma").withRelease("9", Set.of(Arch.AMD64));
    VmPaths p = new VmLayout(root, OsFamily.LINUX).paths(VmRef.of("alma:9", "amd64"), alma);
    assertThat(segments(root, p.dir())).containsExactly("repo.almalinux.org", "almalinux", "9", "amd64");
    assertThat(p.cache().getFileName().toString()).isEqualTo("almalinux-9-amd64.qcow2");
  }

  @Test
  void paths_unknownVersion_throwsListingValidOnes() {
    assertThatThrownBy(() -> new VmLayout(root, OsFamily.LINUX).paths(VmRef.of("ubuntu:99.04", "amd64"), ubuntu))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("99.04")
        .hasMessageContaining("24.04");
  }
}
