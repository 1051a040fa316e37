package io.carbon.computeimage.adapter.distro.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files MirrorTreeWriter lays out look like the real mirrors' files. */
final class MirrorTreeWriterLayoutTest {
  private static final URI BASE = URI.create("http://127.0.0.1:9/");

  @TempDir Path tmp;

  @Test
  void write_ubuntu_datedDirReleaseAliasStarredSumsAndListings() throws Exception {
    Path image = Files.writeString(tmp.resolve("img"), "x");
    MirroredImage w =
        MirrorTreeWriter.write(new UbuntuCatalog(), "noble", Arch.AMD64, tmp.resolve("m"), BASE, image);

    Path dir = tmp.resolve("m/releases/noble/release-20250101");
    assertThat(w.diskFile()).isEqualTo(dir.resolve("ubuntu-24.04-server-cloudimg-amd64.img"));
    assertThat(w.checksumFormat()).isEqualTo(ChecksumFormat.GNU_BINARY);
    assertThat(Files.readString(dir.resolve("SHA256SUMS")))
        .contains(w.digest().hex() + " *ubuntu-24.04-server-cloudimg-amd64.img\n")
        .contains(" *ubuntu-24.04-server-cloudimg-amd64.img.zsync\n");
    assertThat(w.aliasUris())
        .containsExactly(URI.create(BASE + "releases/noble/release/ubuntu-24.04-server-cloudimg-amd64.img"));
    assertThat(tmp.resolve("m/releases/noble/release/SHA256SUMS")).exists();
    assertThat(Files.readString(tmp.resolve("m/releases/noble/index.html")))
        .contains("<a href=\"release-20250101/\">release-20250101/</a>")
        .contains("<a href=\"release/\">release/</a>");
  }

  @Test
  void write_fedora_clearSignedBsdChecksumInArchive() throws Exception {
    Path image = Files.writeString(tmp.resolve("img"), "x");
    MirroredImage w =
        MirrorTreeWriter.write(new FedoraCatalog(), "42", Arch.ARM64, tmp.resolve("m"), BASE, image);

    assertThat(w.build()).isEqualTo("42-1.1");
    assertThat(w.checksumUri())
        .hasToString(BASE + "pub/archive/fedora/linux/releases/42/Cloud/aarch64/images/Fedora-Cloud-42-1.1-aarch64-CHECKSUM");
    assertThat(Files.readString(w.checksumFile()))
        .startsWith("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n")
        .contains("SHA256 (Fedora-Cloud-Base-Generic-42-1.1.aarch64.qcow2) = " + w.digest().hex() + "\n")
        .contains("-----END PGP SIGNATURE-----");
  }

  @Test
  void write_alpine_bareSha512AndListingWithTinyDecoy() throws Exception {
    Path image = Files.writeString(tmp.resolve("img"), "x");
    MirroredImage w =
        MirrorTreeWriter.write(new AlpineCatalog(), "3.23", Arch.AMD64, tmp.resolve("m"), BASE, image);

    assertThat(Files.readString(w.checksumFile())).isEqualTo(w.digest().hex() + "\n");
    assertThat(w.digest().algorithm().prefix()).isEqualTo("sha512");
    assertThat(Files.readString(tmp.resolve("m/alpine/v3.23/releases/cloud/index.html")))
        .contains("<a href=\"nocloud_alpine-3.23.4-x86_64-bios-cloudinit-r0.qcow2\">")
        .contains("nocloud_alpine-3.23.4-x86_64-bios-tiny-r0.qcow2.sha512");
  }

  @Test
  void write_olderAfterNewer_aliasKeepsTheNewest() throws Exception {
    MirrorTreeWriter writer = new MirrorTreeWriter(tmp.resolve("m"), BASE);
    Path newer = Files.writeString(tmp.resolve("new"), "new");
    Path older = Files.writeString(tmp.resolve("old"), "old");
    MirroredImage n = writer.write(new RockyCatalog(), "9", Arch.ARM64, newer, "9.6-20250531.0");
    MirroredImage o = writer.write(new RockyCatalog(), "9", Arch.ARM64, older, "9.5-20241118.0");

    Path latest = tmp.resolve("m/pub/rocky/9/images/aarch64/Rocky-9-GenericCloud.latest.aarch64.qcow2");
    assertThat(latest).hasContent("new");
    assertThat(o.aliasUris()).isEmpty();
    assertThat(n.aliasUris()).hasSize(1);
    assertThat(Files.readString(latest.resolveSibling(latest.getFileName() + ".CHECKSUM")))
        .contains("SHA256 (Rocky-9-GenericCloud.latest.aarch64.qcow2) = " + n.digest().hex());
  }
}
