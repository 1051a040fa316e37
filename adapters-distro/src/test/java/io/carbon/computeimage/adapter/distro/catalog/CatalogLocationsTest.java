package io.carbon.computeimage.adapter.distro.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.adapter.distro.BuiltinDistrosPlugin;
import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.model.Arch;
import java.net.URI;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact image URL, checksum URL and checksum format of every (distro, version, arch), on the
 * real mirror and under a mirror override, written out as literal strings.
 */
final class CatalogLocationsTest {
  private static final String OVERRIDE = "http://127.0.0.1:8080/mirror/";

  private static final String TABLE =
      """
      ubuntu   | 22.04      | amd64 | cloud-images.ubuntu.com    | releases/jammy/release/ubuntu-22.04-server-cloudimg-amd64.img | releases/jammy/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 22.04      | arm64 | cloud-images.ubuntu.com    | releases/jammy/release/ubuntu-22.04-server-cloudimg-arm64.img | releases/jammy/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 24.04      | amd64 | cloud-images.ubuntu.com    | releases/noble/release/ubuntu-24.04-server-cloudimg-amd64.img | releases/noble/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 24.04      | arm64 | cloud-images.ubuntu.com    | releases/noble/release/ubuntu-24.04-server-cloudimg-arm64.img | releases/noble/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 25.10      | amd64 | cloud-images.ubuntu.com    | releases/questing/release/ubuntu-25.10-server-cloudimg-amd64.img | releases/questing/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 25.10      | arm64 | cloud-images.ubuntu.com    | releases/questing/release/ubuntu-25.10-server-cloudimg-arm64.img | releases/questing/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 26.04      | amd64 | cloud-images.ubuntu.com    | releases/resolute/release/ubuntu-26.04-server-cloudimg-amd64.img | releases/resolute/release/SHA256SUMS | GNU_BINARY
      ubuntu   | 26.04      | arm64 | cloud-images.ubuntu.com    | releases/resolute/release/ubuntu-26.04-server-cloudimg-arm64.img | releases/resolute/release/SHA256SUMS | GNU_BINARY
      debian   | 12         | amd64 | cloud.debian.org           | images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2 | images/cloud/bookworm/latest/SHA512SUMS | GNU
      debian   | 12         | arm64 | cloud.debian.org           | images/cloud/bookworm/latest/debian-12-genericcloud-arm64.qcow2 | images/cloud/bookworm/latest/SHA512SUMS | GNU
      debian   | 13         | amd64 | cloud.debian.org           | images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2 | images/cloud/trixie/latest/SHA512SUMS | GNU
      debian   | 13         | arm64 | cloud.debian.org           | images/cloud/trixie/latest/debian-13-genericcloud-arm64.qcow2 | images/cloud/trixie/latest/SHA512SUMS | GNU
      fedora   | 41         | amd64 | archives.fedoraproject.org | pub/archive/fedora/linux/releases/41/Cloud/x86_64/images/Fedora-Cloud-Base-Generic-41-1.4.x86_64.qcow2 | pub/archive/fedora/linux/releases/41/Cloud/x86_64/images/Fedora-Cloud-41-1.4-x86_64-CHECKSUM | BSD
      fedora   | 41         | arm64 | archives.fedoraproject.org | pub/archive/fedora/linux/releases/41/Cloud/aarch64/images/Fedora-Cloud-Base-Generic-41-1.4.aarch64.qcow2 | pub/archive/fedora/linux/releases/41/Cloud/aarch64/images/Fedora-Cloud-41-1.4-aarch64-CHECKSUM | BSD
      fedora   | 42         | amd64 | archives.fedoraproject.org | pub/archive/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2 | pub/archive/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-42-1.1-x86_64-CHECKSUM | BSD
      fedora   | 42         | arm64 | archives.fedoraproject.org | pub/archive/fedora/linux/releases/42/Cloud/aarch64/images/Fedora-Cloud-Base-Generic-42-1.1.aarch64.qcow2 | pub/archive/fedora/linux/releases/42/Cloud/aarch64/images/Fedora-Cloud-42-1.1-aarch64-CHECKSUM | BSD
      opensuse | tumbleweed | amd64 | download.opensuse.org      | tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.x86_64-Cloud.qcow2 | tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.x86_64-Cloud.qcow2.sha256 | GNU
      opensuse | tumbleweed | arm64 | download.opensuse.org      | ports/aarch64/tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.aarch64-Cloud.qcow2 | ports/aarch64/tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.aarch64-Cloud.qcow2.sha256 | GNU
      opensuse | 15.6       | amd64 | download.opensuse.org      | distribution/leap/15.6/appliances/openSUSE-Leap-15.6-Minimal-VM.x86_64-Cloud.qcow2 | distribution/leap/15.6/appliances/openSUSE-Leap-15.6-Minimal-VM.x86_64-Cloud.qcow2.sha256 | GNU
      opensuse | 15.6       | arm64 | download.opensuse.org      | distribution/leap/15.6/appliances/openSUSE-Leap-15.6-Minimal-VM.aarch64-Cloud.qcow2 | distribution/leap/15.6/appliances/openSUSE-Leap-15.6-Minimal-VM.aarch64-Cloud.qcow2.sha256 | GNU
      opensuse | 16.0       | amd64 | download.opensuse.org      | distribution/leap/16.0/appliances/Leap-16.0-Minimal-VM.x86_64-Cloud.qcow2 | distribution/leap/16.0/appliances/Leap-16.0-Minimal-VM.x86_64-Cloud.qcow2.sha256 | GNU
      opensuse | 16.0       | arm64 | download.opensuse.org      | distribution/leap/16.0/appliances/Leap-16.0-Minimal-VM.aarch64-Cloud.qcow2 | distribution/leap/16.0/appliances/Leap-16.0-Minimal-VM.aarch64-Cloud.qcow2.sha256 | GNU
      rocky    | 8          | amd64 | dl.rockylinux.org          | pub/rocky/8/images/x86_64/Rocky-8-GenericCloud.latest.x86_64.qcow2 | pub/rocky/8/images/x86_64/Rocky-8-GenericCloud.latest.x86_64.qcow2.CHECKSUM | BSD
      rocky    | 8          | arm64 | dl.rockylinux.org          | pub/rocky/8/images/aarch64/Rocky-8-GenericCloud.latest.aarch64.qcow2 | pub/rocky/8/images/aarch64/Rocky-8-GenericCloud.latest.aarch64.qcow2.CHECKSUM | BSD
      rocky    | 9          | amd64 | dl.rockylinux.org          | pub/rocky/9/images/x86_64/Rocky-9-GenericCloud.latest.x86_64.qcow2 | pub/rocky/9/images/x86_64/Rocky-9-GenericCloud.latest.x86_64.qcow2.CHECKSUM | BSD
      rocky    | 9          | arm64 | dl.rockylinux.org          | pub/rocky/9/images/aarch64/Rocky-9-GenericCloud.latest.aarch64.qcow2 | pub/rocky/9/images/aarch64/Rocky-9-GenericCloud.latest.aarch64.qcow2.CHECKSUM | BSD
      rocky    | 10         | amd64 | dl.rockylinux.org          | pub/rocky/10/images/x86_64/Rocky-10-GenericCloud-Base.latest.x86_64.qcow2 | pub/rocky/10/images/x86_64/Rocky-10-GenericCloud-Base.latest.x86_64.qcow2.CHECKSUM | BSD
      rocky    | 10         | arm64 | dl.rockylinux.org          | pub/rocky/10/images/aarch64/Rocky-10-GenericCloud-Base.latest.aarch64.qcow2 | pub/rocky/10/images/aarch64/Rocky-10-GenericCloud-Base.latest.aarch64.qcow2.CHECKSUM | BSD
      almalinux| 8          | amd64 | repo.almalinux.org         | almalinux/8/cloud/x86_64/images/AlmaLinux-8-GenericCloud-latest.x86_64.qcow2 | almalinux/8/cloud/x86_64/images/CHECKSUM | GNU
      almalinux| 8          | arm64 | repo.almalinux.org         | almalinux/8/cloud/aarch64/images/AlmaLinux-8-GenericCloud-latest.aarch64.qcow2 | almalinux/8/cloud/aarch64/images/CHECKSUM | GNU
      almalinux| 9          | amd64 | repo.almalinux.org         | almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-latest.x86_64.qcow2 | almalinux/9/cloud/x86_64/images/CHECKSUM | GNU
      almalinux| 9          | arm64 | repo.almalinux.org         | almalinux/9/cloud/aarch64/images/AlmaLinux-9-GenericCloud-latest.aarch64.qcow2 | almalinux/9/cloud/aarch64/images/CHECKSUM | GNU
      almalinux| 10         | amd64 | repo.almalinux.org         | almalinux/10/cloud/x86_64_v2/images/AlmaLinux-10-GenericCloud-latest.x86_64_v2.qcow2 | almalinux/10/cloud/x86_64_v2/images/CHECKSUM | GNU
      almalinux| 10         | arm64 | repo.almalinux.org         | almalinux/10/cloud/aarch64/images/AlmaLinux-10-GenericCloud-latest.aarch64.qcow2 | almalinux/10/cloud/aarch64/images/CHECKSUM | GNU
      centos   | 9          | amd64 | cloud.centos.org           | centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2 | centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2.SHA256SUM | BSD
      centos   | 9          | arm64 | cloud.centos.org           | centos/9-stream/aarch64/images/CentOS-Stream-GenericCloud-9-latest.aarch64.qcow2 | centos/9-stream/aarch64/images/CentOS-Stream-GenericCloud-9-latest.aarch64.qcow2.SHA256SUM | BSD
      centos   | 10         | amd64 | cloud.centos.org           | centos/10-stream/x86_64/images/CentOS-Stream-GenericCloud-10-latest.x86_64.qcow2 | centos/10-stream/x86_64/images/CentOS-Stream-GenericCloud-10-latest.x86_64.qcow2.SHA256SUM | BSD
      centos   | 10         | arm64 | cloud.centos.org           | centos/10-stream/aarch64/images/CentOS-Stream-GenericCloud-10-latest.aarch64.qcow2 | centos/10-stream/aarch64/images/CentOS-Stream-GenericCloud-10-latest.aarch64.qcow2.SHA256SUM | BSD
      alpine   | 3.20       | amd64 | dl-cdn.alpinelinux.org     | alpine/v3.20/releases/cloud/nocloud_alpine-3.20.10-x86_64-bios-cloudinit-r0.qcow2 | alpine/v3.20/releases/cloud/nocloud_alpine-3.20.10-x86_64-bios-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.20       | arm64 | dl-cdn.alpinelinux.org     | alpine/v3.20/releases/cloud/nocloud_alpine-3.20.10-aarch64-uefi-cloudinit-r0.qcow2 | alpine/v3.20/releases/cloud/nocloud_alpine-3.20.10-aarch64-uefi-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.21       | amd64 | dl-cdn.alpinelinux.org     | alpine/v3.21/releases/cloud/nocloud_alpine-3.21.7-x86_64-bios-cloudinit-r0.qcow2 | alpine/v3.21/releases/cloud/nocloud_alpine-3.21.7-x86_64-bios-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.21       | arm64 | dl-cdn.alpinelinux.org     | alpine/v3.21/releases/cloud/nocloud_alpine-3.21.7-aarch64-uefi-cloudinit-r0.qcow2 | alpine/v3.21/releases/cloud/nocloud_alpine-3.21.7-aarch64-uefi-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.22       | amd64 | dl-cdn.alpinelinux.org     | alpine/v3.22/releases/cloud/nocloud_alpine-3.22.4-x86_64-bios-cloudinit-r0.qcow2 | alpine/v3.22/releases/cloud/nocloud_alpine-3.22.4-x86_64-bios-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.22       | arm64 | dl-cdn.alpinelinux.org     | alpine/v3.22/releases/cloud/nocloud_alpine-3.22.4-aarch64-uefi-cloudinit-r0.qcow2 | alpine/v3.22/releases/cloud/nocloud_alpine-3.22.4-aarch64-uefi-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.23       | amd64 | dl-cdn.alpinelinux.org     | alpine/v3.23/releases/cloud/nocloud_alpine-3.23.4-x86_64-bios-cloudinit-r0.qcow2 | alpine/v3.23/releases/cloud/nocloud_alpine-3.23.4-x86_64-bios-cloudinit-r0.qcow2.sha512 | BARE_HEX
      alpine   | 3.23       | arm64 | dl-cdn.alpinelinux.org     | alpine/v3.23/releases/cloud/nocloud_alpine-3.23.4-aarch64-uefi-cloudinit-r0.qcow2 | alpine/v3.23/releases/cloud/nocloud_alpine-3.23.4-aarch64-uefi-cloudinit-r0.qcow2.sha512 | BARE_HEX
      arch     | latest     | amd64 | geo.mirror.pkgbuild.com    | images/latest/Arch-Linux-x86_64-cloudimg.qcow2 | images/latest/Arch-Linux-x86_64-cloudimg.qcow2.SHA256 | GNU
      """;

  @ParameterizedTest(name = "{0}:{1} {2}")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  void locate_realMirror_givesTheExactUrls(
      String distro, String version, String arch, String host, String disk, String sums, ChecksumFormat format)
      throws Exception {
    ImageLocation loc =
        catalog(distro).locate(new DistroQuery(version, Arch.parse(arch), Optional.empty()));

    assertThat(loc.diskUri()).hasToString("https://" + host + "/" + disk);
    assertThat(loc.checksumUri()).hasToString("https://" + host + "/" + sums);
    assertThat(loc.checksumFormat()).isEqualTo(format);
    assertThat(loc.fileName()).isEqualTo(disk.substring(disk.lastIndexOf('/') + 1));
  }

  @ParameterizedTest(name = "{0}:{1} {2}")
  @CsvSource(delimiter = '|', textBlock = TABLE)
  void locate_mirrorOverride_keepsThePathBelowTheOverride(
      String distro, String version, String arch, String host, String disk, String sums, ChecksumFormat format)
      throws Exception {
    ImageLocation loc =
        catalog(distro)
            .locate(new DistroQuery(version, Arch.parse(arch), Optional.of(URI.create("http://127.0.0.1:8080/mirror"))));

    assertThat(loc.diskUri()).hasToString(OVERRIDE + disk);
    assertThat(loc.checksumUri()).hasToString(OVERRIDE + sums);
    assertThat(loc.checksumFormat()).isEqualTo(format);
  }

  @Test
  void table_coversEveryReleaseAndArchOfEveryBuiltinCatalog() {
    Set<String> all = new HashSet<>();
    for (DistroCatalog c : new BuiltinDistrosPlugin().distroCatalogs()) {
      for (DistroRelease r : c.releases()) {
        for (Arch a : r.arches()) {
          all.add(c.name() + ":" + r.version() + ":" + a.ociName());
        }
      }
    }
    Set<String> rows = new HashSet<>();
    TABLE.lines().map(l -> l.split("\\|")).filter(p -> p.length > 3)
        .forEach(p -> rows.add(p[0].strip() + ":" + p[1].strip() + ":" + p[2].strip()));
    assertThat(rows).isEqualTo(all).hasSize(47);
  }

  static DistroCatalog catalog(String name) {
    return new BuiltinDistrosPlugin().distroCatalogs().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
