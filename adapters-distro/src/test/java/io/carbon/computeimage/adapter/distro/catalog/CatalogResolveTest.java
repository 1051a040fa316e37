package io.carbon.computeimage.adapter.distro.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.ResolvedImage;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.fake.InMemoryHttpTransport;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code resolve} of every distro against mirror trees served from memory. */
final class CatalogResolveTest {
  private static final URI BASE = URI.create("http://127.0.0.1:9/m/");

  @TempDir Path tmp;
  private MirrorTreeWriter writer;
  private InMemoryHttpTransport http;
  private Path older;
  private Path newer;

  @BeforeEach
  void setUp() throws Exception {
    Path mirror = tmp.resolve("mirror");
    writer = new MirrorTreeWriter(mirror, BASE);
    http = new InMemoryHttpTransport().serveDirectory(BASE, mirror);
    older = Files.writeString(tmp.resolve("older.qcow2"), "older build");
    newer = Files.writeString(tmp.resolve("newer.qcow2"), "newer build");
  }

  @ParameterizedTest(name = "{0}:{1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ubuntu    | noble      | amd64 | 20250115          | 20250301          | 20250301               | releases/noble/release-20250301/ubuntu-24.04-server-cloudimg-amd64.img
          ubuntu    | 26.04      | arm64 | 20260420          | 20260423.1        | 20260423.1             | releases/resolute/release-20260423.1/ubuntu-26.04-server-cloudimg-arm64.img
          debian    | bookworm   | arm64 | 20250101-2000     | 20250210-2020     | 20250210-2020          | images/cloud/bookworm/20250210-2020/debian-12-genericcloud-arm64-20250210-2020.qcow2
          debian    | 13         | amd64 | 20250901-0100     | 20251001-0100     | 20251001-0100          | images/cloud/trixie/20251001-0100/debian-13-genericcloud-amd64-20251001-0100.qcow2
          fedora    | 42         | amd64 | 1.9               | 1.10              | 42-1.10                | pub/archive/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-Base-Generic-42-1.10.x86_64.qcow2
          fedora    | 41         | arm64 | 1.2               | 1.4               | 41-1.4                 | pub/archive/fedora/linux/releases/41/Cloud/aarch64/images/Fedora-Cloud-Base-Generic-41-1.4.aarch64.qcow2
          opensuse  | tumbleweed | arm64 | 1.0.0-Snapshot20250101 | 1.0.0-Snapshot20250205 | 1.0.0-Snapshot20250205 | ports/aarch64/tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.aarch64-1.0.0-Cloud-Snapshot20250205.qcow2
          opensuse  | 15.6       | amd64 | 15.6.0-Build1.9   | 15.6.0-Build1.10  | 15.6.0-Build1.10       | distribution/leap/15.6/appliances/openSUSE-Leap-15.6-Minimal-VM.x86_64-15.6.0-Cloud-Build1.10.qcow2
          opensuse  | 16.0       | arm64 | 16.0.0-Build2.1   | 16.0.0-Build3.1   | 16.0.0-Build3.1        | distribution/leap/16.0/appliances/Leap-16.0-Minimal-VM.aarch64-16.0.0-Cloud-Build3.1.qcow2
          rocky     | 9          | amd64 | 9.5-20241118.0    | 9.6-20250531.0    | 9.6-20250531.0         | pub/rocky/9/images/x86_64/Rocky-9-GenericCloud-Base-9.6-20250531.0.x86_64.qcow2
          rocky     | 10         | arm64 | 10.0-20250609.1   | 10.0-20250609.2   | 10.0-20250609.2        | pub/rocky/10/images/aarch64/Rocky-10-GenericCloud-Base-10.0-20250609.2.aarch64.qcow2
          almalinux | 10         | amd64 | 10.0-20250528.0   | 10.1-20251125.0   | 10.1-20251125.0        | almalinux/10/cloud/x86_64_v2/images/AlmaLinux-10-GenericCloud-10.1-20251125.0.x86_64_v2.qcow2
          almalinux | 8          | arm64 | 8.9-20231128      | 8.10-20240530     | 8.10-20240530          | almalinux/8/cloud/aarch64/images/AlmaLinux-8-GenericCloud-8.10-20240530.aarch64.qcow2
          centos    | 9          | amd64 | 20250101.0        | 20250301.0        | 20250301.0             | centos/9-stream/x86_64/images/CentOS-Stream-GenericCloud-9-20250301.0.x86_64.qcow2
          centos    | 10         | arm64 | 20250203.0        | 20250203.1        | 20250203.1             | centos/10-stream/aarch64/images/CentOS-Stream-GenericCloud-10-20250203.1.aarch64.qcow2
          alpine    | 3.22       | amd64 | 3.22.9            | 3.22.10           | 3.22.10                | alpine/v3.22/releases/cloud/nocloud_alpine-3.22.10-x86_64-bios-cloudinit-r0.qcow2
          alpine    | 3.20       | arm64 | 3.20.3            | 3.20.3-r1         | 3.20.3-r1              | alpine/v3.20/releases/cloud/nocloud_alpine-3.20.3-aarch64-uefi-cloudinit-r1.qcow2
          arch      | latest     | amd64 | 20250101.300000   | 20250201.310000   | 20250201.310000        | images/v20250201.310000/Arch-Linux-x86_64-cloudimg-20250201.310000.qcow2
          """)
  void resolve_olderAndNewerBuildOnMirror_picksTheNewest(
      String distro, String version, String arch, String olderBuild, String newerBuild, String build, String path)
      throws Exception {
    DistroCatalog catalog = CatalogLocationsTest.catalog(distro);
    Arch a = Arch.parse(arch);
    // newer first, then older: "newest" must come from the mirror, not from write order
    MirroredImage n = writer.write(catalog, version, a, newer, newerBuild);
    MirroredImage o = writer.write(catalog, version, a, older, olderBuild);

    ResolvedImage r = catalog.resolve(new DistroQuery(version, a, Optional.of(BASE)), http);

    assertThat(r.build()).isEqualTo(build);
    assertThat(r.location().diskUri()).hasToString(BASE + path);
    assertThat(r.digest()).isEqualTo(n.digest()).isNotEqualTo(o.digest());
    assertThat(r.version()).isEqualTo(catalog.canonicalVersion(version));
    assertThat(http.requestedUris()).allMatch(u -> u.toString().startsWith(BASE.toString()));
  }

  @Test
  void resolve_ubuntuCodenameAndNumber_resolveToTheSameImage() throws Exception {
    DistroCatalog ubuntu = new UbuntuCatalog();
    writer.write(ubuntu, "24.04", Arch.AMD64, newer, "20250301");

    ResolvedImage byName = ubuntu.resolve(new DistroQuery("noble", Arch.AMD64, Optional.of(BASE)), http);
    ResolvedImage byNumber = ubuntu.resolve(new DistroQuery("24.04", Arch.AMD64, Optional.of(BASE)), http);

    assertThat(byName).isEqualTo(byNumber);
    assertThat(byName.version()).isEqualTo("24.04");
    assertThat(ubuntu.locate(new DistroQuery("NOBLE", Arch.ARM64, Optional.empty())))
        .isEqualTo(ubuntu.locate(new DistroQuery("24.04", Arch.ARM64, Optional.empty())));
  }

  @Test
  void resolve_debianCodenameAndNumber_resolveToTheSameImage() throws Exception {
    DistroCatalog debian = new DebianCatalog();
    writer.write(debian, "trixie", Arch.ARM64, newer);

    assertThat(debian.resolve(new DistroQuery("trixie", Arch.ARM64, Optional.of(BASE)), http))
        .isEqualTo(debian.resolve(new DistroQuery("13", Arch.ARM64, Optional.of(BASE)), http));
  }

  @Test
  void resolve_ubuntuWithoutListing_fallsBackToReleaseDirectory() throws Exception {
    DistroCatalog ubuntu = new UbuntuCatalog();
    MirroredImage w = writer.write(ubuntu, "22.04", Arch.ARM64, newer, "20250301");
    writer.removeListings();

    ResolvedImage r = ubuntu.resolve(new DistroQuery("jammy", Arch.ARM64, Optional.of(BASE)), http);

    assertThat(r.build()).isEqualTo("release");
    assertThat(r.location().diskUri())
        .hasToString(BASE + "releases/jammy/release/ubuntu-22.04-server-cloudimg-arm64.img");
    assertThat(r.digest()).isEqualTo(w.digest());
  }

  @Test
  void resolve_listingForbidden_fallsBackToTheTable() throws Exception {
    DistroCatalog rocky = new RockyCatalog();
    MirroredImage w = writer.write(rocky, "9", Arch.AMD64, newer);
    http.put(URI.create(BASE + "pub/rocky/9/images/x86_64/"), 403, "forbidden");

    ResolvedImage r = rocky.resolve(new DistroQuery("9", Arch.AMD64, Optional.of(BASE)), http);

    assertThat(r.build()).isEqualTo("latest");
    assertThat(r.location().diskUri())
        .hasToString(BASE + "pub/rocky/9/images/x86_64/Rocky-9-GenericCloud.latest.x86_64.qcow2");
    assertThat(r.digest()).isEqualTo(w.digest());
  }

  @Test
  void resolve_fedoraPinnedBuild_usesThatBuildNotTheNewest() throws Exception {
    DistroCatalog fedora = new FedoraCatalog();
    MirroredImage pinned = writer.write(fedora, "42", Arch.AMD64, older, "1.1");
    writer.write(fedora, "42", Arch.AMD64, newer, "1.2");

    ResolvedImage r = fedora.resolve(new DistroQuery("42-1.1", Arch.AMD64, Optional.of(BASE)), http);

    assertThat(r.build()).isEqualTo("42-1.1");
    assertThat(r.version()).isEqualTo("42");
    assertThat(r.digest()).isEqualTo(pinned.digest());
    assertThat(r.location().checksumUri())
        .hasToString(BASE + "pub/archive/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-42-1.1-x86_64-CHECKSUM");
    assertThat(fedora.canonicalVersion("42-1.1")).isEqualTo("42");
  }

  @Test
  void resolve_fedoraOnlyInCurrentTree_findsItThere() throws Exception {
    DistroCatalog fedora = new FedoraCatalog();
    String dir = BASE + "pub/fedora/linux/releases/41/Cloud/x86_64/images/";
    String hex = "ab".repeat(32);
    http.put(URI.create(dir), "<a href=\"Fedora-Cloud-Base-Generic-41-1.4.x86_64.qcow2\">x</a>");
    http.put(
        URI.create(dir + "Fedora-Cloud-41-1.4-x86_64-CHECKSUM"),
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
            + "SHA256 (Fedora-Cloud-Base-Generic-41-1.4.x86_64.qcow2) = " + hex + "\n"
            + "-----BEGIN PGP SIGNATURE-----\n\nxx\n-----END PGP SIGNATURE-----\n");

    ResolvedImage r = fedora.resolve(new DistroQuery("41", Arch.AMD64, Optional.of(BASE)), http);

    assertThat(r.location().diskUri()).hasToString(dir + "Fedora-Cloud-Base-Generic-41-1.4.x86_64.qcow2");
    assertThat(r.digest().hex()).isEqualTo(hex);
    // the archive was asked first, as 41 is archived
    assertThat(http.requestedUris().get(0).toString()).contains("pub/archive/fedora/");
  }

  @Test
  void resolve_fedoraWithoutAnyListing_usesTableBuildInTheArchive() throws Exception {
    DistroCatalog fedora = new FedoraCatalog();
    MirroredImage w = writer.write(fedora, "42", Arch.ARM64, newer);
    writer.removeListings();

    ResolvedImage r = fedora.resolve(new DistroQuery("42", Arch.ARM64, Optional.of(BASE)), http);

    assertThat(r.build()).isEqualTo("42-1.1");
    assertThat(r.digest()).isEqualTo(w.digest());
    assertThat(http.requestedUris()).allMatch(u -> u.toString().startsWith(BASE.toString()));
  }

  @Test
  void resolve_alpinePatchPinned_usesThatPatch() throws Exception {
    DistroCatalog alpine = new AlpineCatalog();
    MirroredImage pinned = writer.write(alpine, "3.22", Arch.ARM64, older, "3.22.2");
    writer.write(alpine, "3.22", Arch.ARM64, newer, "3.22.4");

    ResolvedImage r = alpine.resolve(new DistroQuery("3.22.2", Arch.ARM64, Optional.of(BASE)), http);

    assertThat(r.build()).isEqualTo("3.22.2");
    assertThat(r.version()).isEqualTo("3.22");
    assertThat(r.digest()).isEqualTo(pinned.digest());
    assertThat(r.digest().algorithm().prefix()).isEqualTo("sha512");
  }

  @Test
  void resolve_openSuseLatestSidecarNamesTheVersionedFile_stillAccepted() throws Exception {
    DistroCatalog suse = new OpenSuseCatalog();
    MirroredImage w = writer.write(suse, "tumbleweed", Arch.AMD64, newer);
    writer.removeListings();

    ResolvedImage r = suse.resolve(new DistroQuery("tumbleweed", Arch.AMD64, Optional.of(BASE)), http);

    assertThat(r.location().diskUri())
        .hasToString(BASE + "tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.x86_64-Cloud.qcow2");
    assertThat(r.digest()).isEqualTo(w.digest());
  }

  @Test
  void resolve_checksumFileWithoutTheEntry_failsNamingUrlAndFile() {
    DistroCatalog debian = new DebianCatalog();
    URI sums = URI.create(BASE + "images/cloud/bookworm/latest/SHA512SUMS");
    http.put(sums, "cd".repeat(64) + "  debian-12-genericcloud-arm64.qcow2\n" + "ef".repeat(64) + "  debian-12-nocloud-amd64.qcow2\n");

    assertThatThrownBy(() -> debian.resolve(new DistroQuery("12", Arch.AMD64, Optional.of(BASE)), http))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(sums.toString())
        .hasMessageContaining("debian-12-genericcloud-amd64.qcow2");
  }

  @Test
  void resolve_checksumFileMissing_failsNamingUrl() {
    DistroCatalog centos = new CentOsStreamCatalog();

    assertThatThrownBy(() -> centos.resolve(new DistroQuery("9", Arch.ARM64, Optional.of(BASE)), http))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(
            BASE + "centos/9-stream/aarch64/images/CentOS-Stream-GenericCloud-9-latest.aarch64.qcow2.SHA256SUM");
  }

  @Test
  void resolve_checksumFileServerError_failsAsTransferError() {
    DistroCatalog arch = new ArchLinuxCatalog();
    URI sums = URI.create(BASE + "images/latest/Arch-Linux-x86_64-cloudimg.qcow2.SHA256");
    http.put(sums, 500, "boom");

    assertThatThrownBy(() -> arch.resolve(new DistroQuery("latest", Arch.AMD64, Optional.of(BASE)), http))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(sums.toString())
        .hasMessageContaining("500");
  }

  @Test
  void resolve_unknownArch_failsBeforeAnyRequest() {
    DistroCatalog arch = new ArchLinuxCatalog();

    assertThatThrownBy(() -> arch.resolve(new DistroQuery("latest", Arch.ARM64, Optional.of(BASE)), http))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("valid architectures are amd64");
    assertThat(http.requests()).isEmpty();
  }

  @Test
  void resolve_defaultMirror_asksTheRealHosts() throws Exception {
    DistroCatalog fedora = new FedoraCatalog();
    assertThatThrownBy(() -> fedora.resolve(new DistroQuery("42", Arch.AMD64, Optional.empty()), http))
        .isInstanceOf(NotFoundException.class);
    assertThat(http.requestedUris())
        .extracting(URI::getHost)
        .contains("archives.fedoraproject.org", "download.fedoraproject.org");
  }
}
