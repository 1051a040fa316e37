package io.carbon.computeimage.adapter.convert.vhd;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.testkit.disk.QemuImg;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VhdFooterTest {
  @TempDir Path tmp;

  @Test
  void geometry_specAlgorithm_knownValues() {
    assertThat(VhdFooter.geometry(10L << 20)).isEqualTo(new VhdFooter.Geometry(301, 4, 17));
    assertThat(VhdFooter.geometry(10L << 30)).isEqualTo(new VhdFooter.Geometry(20805, 16, 63));
    assertThat(VhdFooter.geometry(200L << 30)).isEqualTo(new VhdFooter.Geometry(65535, 16, 255));
    assertThat(VhdFooter.geometry(3L << 29)).isEqualTo(new VhdFooter.Geometry(3120, 16, 63));
  }

  @Test
  void fixed_fields_matchTheSpecification() {
    UUID id = UUID.randomUUID();
    Instant t = Instant.parse("2000-01-01T00:01:40Z");
    byte[] f = VhdFooter.fixed(10L << 20, t, id);
    ByteBuffer b = ByteBuffer.wrap(f);
    assertThat(new String(f, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("conectix");
    assertThat(b.getInt(8)).isEqualTo(2);
    assertThat(b.getInt(12)).isEqualTo(0x00010000);
    assertThat(b.getLong(16)).isEqualTo(-1L);
    assertThat(b.getInt(24)).isEqualTo(100);
    assertThat(b.getLong(40)).isEqualTo(10L << 20);
    assertThat(b.getLong(48)).isEqualTo(10L << 20);
    assertThat(b.getInt(56)).isEqualTo(301 << 16 | 4 << 8 | 17);
    assertThat(b.getInt(60)).isEqualTo(2);
    assertThat(new UUID(b.getLong(68), b.getLong(76))).isEqualTo(id);
    assertThat(f[84]).isZero();
    assertThat(VhdFooter.isFooter(f)).isTrue();
    f[100] ^= 1;
    assertThat(VhdFooter.isFooter(f)).isFalse();
  }

  @Test
  void checksum_agreesWithQemuMadeFooter() throws Exception {
    Path raw = tmp.resolve("r.raw");
    Files.write(raw, new byte[1 << 20]);
    Path vhd = tmp.resolve("q.vhd");
    QemuImg.run("convert", "-f", "raw", "-O", "vpc", "-o", "subformat=fixed", raw.toString(),
        vhd.toString());
    byte[] all = Files.readAllBytes(vhd);
    byte[] footer = Arrays.copyOfRange(all, all.length - 512, all.length);
    assertThat(VhdFooter.isFooter(footer)).isTrue();
    assertThat(VhdFooter.diskType(footer)).isEqualTo(VhdFooter.TYPE_FIXED);
  }
}
