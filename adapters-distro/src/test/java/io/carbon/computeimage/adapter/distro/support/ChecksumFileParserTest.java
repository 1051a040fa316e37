package io.carbon.computeimage.adapter.distro.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ChecksumFileParserTest {
  private static final String H256 = "0123456789abcdef".repeat(4);
  private static final String H512 = "fedcba9876543210".repeat(8);

  @Test
  void parse_gnuTwoSpaces_givesNameAndSha256() {
    List<ChecksumEntry> e = ChecksumFileParser.parse(H256 + "  AlmaLinux-9-GenericCloud-latest.x86_64.qcow2\n");

    assertThat(e).containsExactly(
        new ChecksumEntry("AlmaLinux-9-GenericCloud-latest.x86_64.qcow2", new Digest(DigestAlgorithm.SHA256, H256)));
  }

  @Test
  void parse_ubuntuBinaryMarker_stripsTheStar() {
    List<ChecksumEntry> e =
        ChecksumFileParser.parse(
            H256.replace('0', 'a') + " *ubuntu-24.04-server-cloudimg-amd64.tar.gz\n"
                + H256 + " *ubuntu-24.04-server-cloudimg-amd64.img\n");

    assertThat(e).hasSize(2);
    assertThat(e.get(1).fileName()).isEqualTo("ubuntu-24.04-server-cloudimg-amd64.img");
    assertThat(e.get(1).digest().hex()).isEqualTo(H256);
  }

  @Test
  void parse_gnuSha512_detectedByLength() {
    List<ChecksumEntry> e = ChecksumFileParser.parse(H512.toUpperCase() + "  debian-12-genericcloud-amd64.qcow2");

    assertThat(e.get(0).digest()).isEqualTo(new Digest(DigestAlgorithm.SHA512, H512));
  }

  @Test
  void parse_bsdWithSizeComments_givesTaggedAlgorithm() {
    List<ChecksumEntry> e =
        ChecksumFileParser.parse(
            "# CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2: 1234 bytes\n"
                + "SHA256 (CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2) = " + H256 + "\n"
                + "SHA512 (other.raw.xz) = " + H512 + "\n");

    assertThat(e).containsExactly(
        new ChecksumEntry("CentOS-Stream-GenericCloud-9-latest.x86_64.qcow2", new Digest(DigestAlgorithm.SHA256, H256)),
        new ChecksumEntry("other.raw.xz", new Digest(DigestAlgorithm.SHA512, H512)));
  }

  @Test
  void parse_bsdTagDisagreeingWithLength_isSkipped() {
    assertThat(ChecksumFileParser.parse("SHA512 (x.qcow2) = " + H256)).isEmpty();
  }

  @Test
  void parse_bareHex_givesOneUnnamedEntry() {
    List<ChecksumEntry> e = ChecksumFileParser.parse(H512 + "\n");

    assertThat(e).containsExactly(new ChecksumEntry("", new Digest(DigestAlgorithm.SHA512, H512)));
  }

  @Test
  void parse_clearSignedFedoraFile_readsOnlyTheSignedBody() {
    String text =
        "-----BEGIN PGP SIGNED MESSAGE-----\n"
            + "Hash: SHA256\n"
            + "\n"
            + "# Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2: 564330496 bytes\n"
            + "SHA256 (Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2) = " + H256 + "\n"
            + "- SHA256 (dash-escaped.raw.xz) = " + H256.replace('1', 'b') + "\n"
            + "-----BEGIN PGP SIGNATURE-----\n"
            + "\n"
            + H256 + "  not-a-checksum-but-signature-armor\n"
            + "-----END PGP SIGNATURE-----\n";

    List<ChecksumEntry> e = ChecksumFileParser.parse(text);

    assertThat(e).extracting(ChecksumEntry::fileName)
        .containsExactly("Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2", "dash-escaped.raw.xz");
  }

  @Test
  void select_directoryFileWithoutEntry_failsNamingUrlAndFile() {
    ImageLocation loc =
        new ImageLocation(
            URI.create("https://m/dir/a.qcow2"), URI.create("https://m/dir/CHECKSUM"), ChecksumFormat.GNU, "a.qcow2");
    List<ChecksumEntry> e = ChecksumFileParser.parse(H256 + "  b.qcow2\n");

    assertThatThrownBy(() -> ChecksumLookup.select(e, loc))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("https://m/dir/CHECKSUM")
        .hasMessageContaining("a.qcow2");
  }

  @Test
  void select_prefixOfAnotherName_isNotAMatch() throws Exception {
    ImageLocation loc =
        new ImageLocation(
            URI.create("https://m/d/a.qcow2"), URI.create("https://m/d/SUMS"), ChecksumFormat.GNU, "a.qcow2");
    List<ChecksumEntry> e = ChecksumFileParser.parse(H256 + "  a.qcow2.zsync\n" + H512 + "  a.qcow2\n");

    assertThat(ChecksumLookup.select(e, loc).hex()).isEqualTo(H512);
  }

  @Test
  void select_sidecarWithOneDifferentlyNamedEntry_takesIt() throws Exception {
    ImageLocation loc =
        new ImageLocation(
            URI.create("https://m/d/x-Cloud.qcow2"), URI.create("https://m/d/x-Cloud.qcow2.sha256"),
            ChecksumFormat.GNU, "x-Cloud.qcow2");
    List<ChecksumEntry> e = ChecksumFileParser.parse(H256 + "  x-1.0.0-Cloud-Snapshot20250101.qcow2\n");

    assertThat(ChecksumLookup.select(e, loc).hex()).isEqualTo(H256);
  }

  @Test
  void select_emptyFile_failsNamingUrl() {
    ImageLocation loc =
        new ImageLocation(
            URI.create("https://m/d/x.qcow2"), URI.create("https://m/d/x.qcow2.sha512"),
            ChecksumFormat.BARE_HEX, "x.qcow2");

    assertThatThrownBy(() -> ChecksumLookup.select(List.of(), loc))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("https://m/d/x.qcow2.sha512");
  }
}
