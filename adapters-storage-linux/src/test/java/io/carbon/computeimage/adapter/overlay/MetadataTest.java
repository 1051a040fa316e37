package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.adapter.overlay.linux.PosixFs;
import io.carbon.computeimage.testkit.store.TarBuilder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ownership, modes, xattrs, devices, times, long names and sparse files (items 27–31). */
class MetadataTest {
  @TempDir Path tmp;

  /** security.capability v2 for cap_setuid+ep: the permitted mask byte is 0x80 (not UTF-8). */
  static final byte[] CAP_SETUID = {
    1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };

  private Path one(TarBuilder b) throws Exception {
    return new LayerStack(tmp).add(b.build());
  }

  private Path one(TarBuilder.Entry e) throws Exception {
    return one(e.and());
  }

  private static Object attr(Path p, String name) throws Exception {
    return Files.getAttribute(p, "unix:" + name, LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void unpack_setuidAndSetgidFilesOwnedByNonRoot_keepTheirBits() throws Exception {
    Path l = one(new TarBuilder().file("su", "x").mode(04755).owner(1000, 1000).and()
        .file("sg", "x").mode(02755).owner(0, 50).and().dir("sticky/").mode(01777));

    assertThat(attr(l.resolve("su"), "mode")).isEqualTo(0104755);
    assertThat(attr(l.resolve("su"), "uid")).isEqualTo(1000);
    assertThat(attr(l.resolve("sg"), "mode")).isEqualTo(0102755);
    assertThat(attr(l.resolve("sg"), "gid")).isEqualTo(50);
    assertThat(attr(l.resolve("sticky"), "mode")).isEqualTo(041777);
  }

  @Test
  void unpack_binaryCapabilityAndOtherXattrs_areKeptByteForByte() throws Exception {
    Path l = one(new TarBuilder().file("ping", "elf").mode(0755).owner(1000, 1000)
        .xattr("security.capability", CAP_SETUID)
        .xattr("trusted.note", new byte[] {0, (byte) 0xff, 0x10})
        .libarchiveXattr("user.from bsdtar", new byte[] {(byte) 0xc3, 0x28})
        .and());

    assertThat(PosixFs.getXattr(l.resolve("ping"), "security.capability"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(CAP_SETUID));
    assertThat(PosixFs.getXattr(l.resolve("ping"), "trusted.note"))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(0, 0xff, 0x10));
    assertThat(PosixFs.getXattr(l.resolve("ping"), "user.from bsdtar"))
        .hasValueSatisfying(v -> assertThat(v).containsExactly(0xc3, 0x28));
    assertThat(attr(l.resolve("ping"), "uid")).isEqualTo(1000);
  }

  @Test
  void unpack_deviceNodesAndFifos_areCreatedWithTheirNumbers() throws Exception {
    Path l = one(new TarBuilder().charDevice("null", 1, 3).mode(0666).and()
        .blockDevice("sda1", 8, 1).and().charDevice("big", 4095, 1048575).and()
        .fifo("pipe").mode(0600).and());

    assertThat(attr(l.resolve("null"), "mode")).isEqualTo(0020666);
    assertThat(attr(l.resolve("null"), "rdev")).isEqualTo(PosixFs.makedev(1, 3));
    assertThat(attr(l.resolve("sda1"), "mode")).isEqualTo(0060660);
    assertThat(attr(l.resolve("sda1"), "rdev")).isEqualTo(PosixFs.makedev(8, 1));
    assertThat(attr(l.resolve("big"), "rdev")).isEqualTo(PosixFs.makedev(4095, 1048575));
    assertThat(attr(l.resolve("pipe"), "mode")).isEqualTo(0010600);
  }

  @Test
  void mknodLegacy_oldGlibcFallback_createsAWhiteoutDevice() throws Exception {
    Path p = tmp.resolve("wh");

    PosixFs.mknodLegacy(p, PosixFs.S_IFCHR, 0);

    assertThat(attr(p, "mode")).isEqualTo(0020000);
    assertThat(attr(p, "rdev")).isEqualTo(0L);
  }

  @Test
  void unpack_directoryMtimes_areSetAfterTheirContents() throws Exception {
    Path l = one(new TarBuilder().dir("d/").mtime(1000).file("d/f", "x").mtime(2000)
        .dir("d/sub/").mtime(1500).whiteout("d/gone").and());

    assertThat(Files.getLastModifiedTime(l.resolve("d"))).isEqualTo(FileTime.from(1000, TimeUnit.SECONDS));
    assertThat(Files.getLastModifiedTime(l.resolve("d/sub"))).isEqualTo(FileTime.from(1500, TimeUnit.SECONDS));
    assertThat(Files.getLastModifiedTime(l.resolve("d/f"))).isEqualTo(FileTime.from(2000, TimeUnit.SECONDS));
  }

  @Test
  void unpack_symlinkMtime_isSetOnTheLinkItselfWithNanoseconds() throws Exception {
    Path l = one(new TarBuilder().file("t", "x").mtime(5000).symlink("l", "t").mtime(1234, 567000000L)
        .and());

    FileTime link = Files.getLastModifiedTime(l.resolve("l"), LinkOption.NOFOLLOW_LINKS);
    assertThat(link.to(TimeUnit.NANOSECONDS)).isEqualTo(1234_567_000_000L);
    assertThat(Files.getLastModifiedTime(l.resolve("t"))).isEqualTo(FileTime.from(5000, TimeUnit.SECONDS));
  }

  @Test
  void unpack_longNamesAndLinksAsPaxAndGnuRecords_areKept() throws Exception {
    String dir = "d".repeat(120) + "/";
    String name = dir + "f".repeat(150);
    String target = "/" + "t".repeat(200);
    Path pax = one(new TarBuilder().dir(dir).file(name, "pax").symlink(dir + "l", target).and());
    Path gnu = new LayerStack(Files.createDirectory(tmp.resolve("g"))).add(new TarBuilder()
        .gnuLongNames().dir(dir).file(name, "gnu").symlink(dir + "l", target).build());

    assertThat(pax.resolve(name)).hasContent("pax");
    assertThat(Files.readSymbolicLink(pax.resolve(dir + "l"))).hasToString(target);
    assertThat(gnu.resolve(name)).hasContent("gnu");
    assertThat(Files.readSymbolicLink(gnu.resolve(dir + "l"))).hasToString(target);
  }

  @Test
  void unpack_paxGlobalHeader_appliesToLaterEntriesWithoutCreatingAnything() throws Exception {
    Path l = one(new TarBuilder().globalPax(Map.of("mtime", "1111")).file("a", "x").and());

    assertThat(Files.getLastModifiedTime(l.resolve("a"))).isEqualTo(FileTime.from(1111, TimeUnit.SECONDS));
    try (var s = Files.list(l)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("a");
    }
  }

  @Test
  void unpack_gnuSparse1File_isWrittenWithHoles() throws Exception {
    Map<Long, byte[]> regions = new LinkedHashMap<>();
    regions.put(0L, "head".getBytes());
    regions.put(6L << 20, "tail".getBytes());
    Path l = one(new TarBuilder().sparse("s", 8L << 20, regions).and());

    Path s = l.resolve("s");
    assertThat(Files.size(s)).isEqualTo(8L << 20);
    byte[] all = Files.readAllBytes(s);
    assertThat(new String(all, 0, 4)).isEqualTo("head");
    assertThat(new String(all, 6 << 20, 4)).isEqualTo("tail");
    assertThat(all[1 << 20]).isZero();
    assertThat(blocksOf(s)).isLessThan(1024); // 512-byte blocks: well under 8 MiB allocated
  }

  static long blocksOf(Path p) throws Exception {
    Process proc = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
    String out = new String(proc.getInputStream().readAllBytes()).trim();
    proc.waitFor();
    return Long.parseLong(out);
  }
}
