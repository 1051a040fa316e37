package io.carbon.computeimage.bench.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import io.carbon.computeimage.testkit.boot.DistroLayout;
import io.carbon.computeimage.testkit.demo.DemoMirror;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link DemoMirrorMain}: arguments, image references and the printed commands. */
final class DemoMirrorMainTest {
  private static final DistroCatalogs CATALOGS = DemoMirrorMain.catalogs();

  @Test
  void parse_noArguments_defaults() {
    DemoMirrorMain.Options o = DemoMirrorMain.parse(new String[0]);
    assertThat(o.port()).isEqualTo(8080);
    assertThat(o.references()).containsExactly("ubuntu:24.04", "debian:12");
    assertThat(o.cache()).isEqualTo(Path.of("/var/tmp/compute-image-demo"));
    assertThat(o.buildOnly()).isFalse();
  }

  @Test
  void parse_portThenImages() {
    DemoMirrorMain.Options o = DemoMirrorMain.parse(
        new String[] {"--cache", "/tmp/c", "8081", "rocky:9", "alma:8", "--build-only"});
    assertThat(o.port()).isEqualTo(8081);
    assertThat(o.references()).containsExactly("rocky:9", "alma:8");
    assertThat(o.cache()).isEqualTo(Path.of("/tmp/c"));
    assertThat(o.buildOnly()).isTrue();
  }

  @Test
  void parse_badArguments_rejected() {
    assertThatThrownBy(() -> DemoMirrorMain.parse(new String[] {"70000"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> DemoMirrorMain.parse(new String[] {"--frob"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--frob");
  }

  @Test
  void requests_aliasesAndVersions_mapToLayouts() {
    List<DemoMirror.Request> r = DemoMirrorMain.requests(
        List.of("ubuntu:noble", "debian:12", "alma:8", "centos:9", "alpine:3.22", "arch:latest"), CATALOGS);
    assertThat(r).extracting(DemoMirror.Request::layout).containsExactly(
        DistroLayout.UBUNTU_2404, DistroLayout.DEBIAN_12, DistroLayout.EL8, DistroLayout.EL9,
        DistroLayout.ALPINE_MBR, DistroLayout.ARCH);
    assertThat(r.get(2).catalog().name()).isEqualTo("almalinux");
  }

  @Test
  void requests_unknownDistroOrVersion_rejectedListingValidOnes() {
    assertThatThrownBy(() -> DemoMirrorMain.requests(List.of("gentoo:1"), CATALOGS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ubuntu");
    assertThatThrownBy(() -> DemoMirrorMain.requests(List.of("debian:11"), CATALOGS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12");
    assertThatThrownBy(() -> DemoMirrorMain.requests(List.of("ubuntu"), CATALOGS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME:VERSION");
  }

  @Test
  void instructions_printTheReadmeCommands() {
    DemoMirror.Request req = DemoMirrorMain.requests(List.of("ubuntu:24.04"), CATALOGS).get(0);
    MirroredImage image = new MirroredImage("ubuntu", "24.04", "20250101", Arch.AMD64,
        URI.create("http://127.0.0.1:8080/releases/noble/release-20250101/ubuntu-24.04-server-cloudimg-amd64.img"),
        URI.create("http://127.0.0.1:8080/releases/noble/release-20250101/SHA256SUMS"),
        ChecksumFormat.GNU_BINARY, Path.of("/t/disk"), Path.of("/t/SHA256SUMS"),
        new Digest(DigestAlgorithm.SHA256, "0".repeat(64)), List.of());
    DemoMirror.Disk disk = new DemoMirror.Disk(DistroLayout.UBUNTU_2404, Path.of("/c/disk.qcow2"),
        "MARKER-ubuntu-24.04-12345678", "root=LABEL=cloudimg-rootfs ro");
    String text = DemoMirrorMain.instructions(8080, Path.of("/c/mirror"), "/tmp/demo-images",
        List.of(new DemoMirror.Published(req, disk, image)));
    String d = "/tmp/demo-images/127.0.0.1:8080/ubuntu/24.04/amd64";
    assertThat(text)
        .contains("./image-cli pull vm ubuntu:24.04 --arch amd64 --extract-kernel --registry http://127.0.0.1:8080 --dir /tmp/demo-images\n")
        .contains("qemu-system-x86_64 -accel tcg -m 512 -nographic -no-reboot -kernel " + d
            + "/vmlinuz -initrd " + d + "/initrd -append \"console=ttyS0 $(cat " + d + "/cmdline) panic=-1\"\n")
        .contains("MARKER-ubuntu-24.04-12345678");
  }
}
