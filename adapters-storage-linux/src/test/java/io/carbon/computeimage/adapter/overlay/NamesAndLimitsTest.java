package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.ErrorKind;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsafeContentException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.testkit.store.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names Java cannot represent (not UTF-8), values the kernel refuses (a name component over 255
 * bytes, an empty or over-long xattr name, a sparse file of 10^18 bytes) and control characters in
 * refused names: each is reported as the image's fault, with the exit code the docs give, before
 * anything reaches a system call, and names in messages are escaped.
 */
class NamesAndLimitsTest {
  @TempDir Path tmp;

  private final OverlayLayerStore store = new OverlayLayerStore();

  private Path unpack(byte[] tar) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("layers/00"));
    Path blob = Files.write(tmp.resolve("blob.tar"), tar);
    store.unpack(blob, LayerCompression.NONE, dir, List.of(), ProgressListener.NONE,
        Cancellation.NONE);
    return dir;
  }

  private AbstractThrowableAssert<?, ? extends Throwable> assertUnpack(byte[] tar) {
    return assertThatThrownBy(() -> unpack(tar));
  }

  /**
   * Replaces an ASCII placeholder (in a header or PAX record) by raw bytes of the same length and
   * fixes the header checksums, so names that are not UTF-8 can be written byte for byte.
   */
  private static byte[] patch(byte[] tar, String placeholder, byte[] raw) {
    byte[] p = placeholder.getBytes(StandardCharsets.US_ASCII);
    if (p.length != raw.length) {
      throw new IllegalArgumentException("placeholder and replacement differ in length");
    }
    byte[] out = tar.clone();
    int found = 0;
    outer:
    for (int i = 0; i + p.length <= out.length; i++) {
      for (int j = 0; j < p.length; j++) {
        if (out[i + j] != p[j]) {
          continue outer;
        }
      }
      System.arraycopy(raw, 0, out, i, raw.length);
      found++;
    }
    if (found == 0) {
      throw new IllegalArgumentException("placeholder not found");
    }
    for (int b = 0; b + 512 <= out.length; b += 512) {
      if (out[b + 257] == 'u' && out[b + 258] == 's' && out[b + 259] == 't') {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
          sum += (i >= 148 && i < 156) ? ' ' : out[b + i] & 0xff;
        }
        byte[] cs = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(cs, 0, out, b + 148, 6);
        out[b + 154] = 0;
        out[b + 155] = ' ';
      }
    }
    return out;
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static String[] list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  // ------------------------------------------------------------------------- not UTF-8

  @Test
  void unpack_entryNameNotUtf8InTheHeader_isRefusedAsUnsupportedNamingTheEscapedBytes() {
    byte[] tar = patch(new TarBuilder().file("cafXXXX", "x").build(), "cafXXXX",
        bytes('c', 'a', 'f', 0xe9, '-', 0xff, 0xfe));

    assertUnpack(tar)
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("entry name 'caf\\xe9-\\xff\\xfe'")
        .hasMessageContaining("not valid UTF-8");
    assertThat(((ComputeImageException) catchUnpack(tar)).kind().exitCode()).isEqualTo(7);
  }

  @Test
  void unpack_twoNamesThatDifferOnlyInInvalidBytes_areRefusedNotMerged() throws Exception {
    byte[] tar = new TarBuilder().file("nA", "first").file("nB", "second").build();
    tar = patch(patch(tar, "nA", bytes('n', 0xff)), "nB", bytes('n', 0xfe));

    assertUnpack(tar).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("'n\\xff'");
  }

  @Test
  void unpack_paxPathNotUtf8_isRefused() {
    byte[] tar = new TarBuilder().file("placeholder", "x")
        .pax("path", bytes('d', '/', 0xc3, 0x28)).build();

    assertUnpack(tar).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("'d/\\xc3('");
  }

  @Test
  void unpack_gnuLongNameNotUtf8_isRefused() {
    String longName = "d/" + "L".repeat(120) + "QQ";
    byte[] tar = patch(new TarBuilder().gnuLongNames().file(longName, "x").build(), "LQQ",
        bytes('L', 0xc0, 0xaf));

    assertUnpack(tar).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("L\\xc0\\xaf'");
  }

  @Test
  void unpack_symlinkTargetNotUtf8_isRefused() {
    byte[] tar = patch(new TarBuilder().symlink("s", "tgtZZ").build(), "tgtZZ",
        bytes('t', 'g', 't', 0xed, 0xa0));

    assertUnpack(tar).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("link target 'tgt\\xed\\xa0' of entry 's'");
  }

  @Test
  void unpack_xattrNameNotUtf8_isRefused() {
    byte[] tar = patch(new TarBuilder().file("f", "x").xattr("user.QQ", new byte[] {1}).build(),
        "user.QQ", bytes('u', 's', 'e', 'r', '.', 0xff, 'q'));

    assertUnpack(tar).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("xattr name in PAX record 'SCHILY.xattr.user.\\xffq'");
  }

  @Test
  void unpack_libarchiveXattrNameNotUtf8_isRefusedAndAPlusStaysAPlus() throws Exception {
    byte[] bad = new TarBuilder().file("f", "x").pax("LIBARCHIVE.xattr.user.%FF",
        "AQ==".getBytes(StandardCharsets.US_ASCII)).build();
    assertUnpack(bad).isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("xattr name 'user.\\xff'");

    Path dir = unpack(new TarBuilder().file("g", "x").pax("LIBARCHIVE.xattr.user.a+b%3D",
        "AQ==".getBytes(StandardCharsets.US_ASCII)).build());
    assertThat(io.carbon.computeimage.adapter.overlay.linux.PosixFs.listXattrs(dir.resolve("g")))
        .contains("user.a+b=");
  }

  @Test
  void unpack_validUtf8Names_areKeptExactly() throws Exception {
    Path dir = unpack(new TarBuilder().file("café-ü-日本", "x").symlink("s", "→ziel").build());

    assertThat(list(dir)).containsExactly("café-ü-日本", "s");
    assertThat(Files.readSymbolicLink(dir.resolve("s")).toString()).isEqualTo("→ziel");
  }

  @Test
  void unpack_overriddenHeaderNameCutInsideAUtf8Sequence_isFine() throws Exception {
    // GNU tar and PAX writers truncate the header's own name field at 100 bytes, possibly in the
    // middle of a character; only the long name applies.
    String name = "é".repeat(60);
    Path dir = unpack(new TarBuilder().file(name, "x").build());

    assertThat(list(dir)).containsExactly(name);
  }

  // ------------------------------------------------------------------------- kernel limits

  @Test
  void unpack_nameComponentOver255Bytes_isMalformedNotALocalFailure() throws Exception {
    assertUnpack(new TarBuilder().file("a".repeat(256), "x").build())
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("256 bytes");
    assertUnpack(new TarBuilder().file("d/" + "é".repeat(128) + "/f", "x").build())
        .isInstanceOf(MalformedImageException.class);

    Path ok = unpack(new TarBuilder().file("a".repeat(255), "x").whiteout("b".repeat(255)).build());
    assertThat(list(ok)).containsExactly("a".repeat(255), "b".repeat(255));
  }

  @Test
  void unpack_sparseFileOfTenToTheEighteenBytes_isMalformed() {
    byte[] tar = new TarBuilder()
        .sparse("sp", 1_000_000_000_000_000_000L,
            Map.of(999_999_999_999_999_999L, new byte[] {'Z'}))
        .and().build();

    assertUnpack(tar).isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("sparse file 'sp'");
  }

  @Test
  void unpack_sparseRegionWhoseEndOverflows_isMalformed() {
    byte[] tar = new TarBuilder()
        .sparse("sp", 1L << 20, Map.of(Long.MAX_VALUE - 1, new byte[] {'Z', 'Z', 'Z'}))
        .and().build();

    assertUnpack(tar).isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("outside file size");
  }

  @Test
  void unpack_emptyOrOverlongXattrName_isMalformed() {
    assertUnpack(new TarBuilder().file("f", "x").xattr("", new byte[] {'v'}).build())
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("an empty name");
    assertUnpack(new TarBuilder().file("f", "x").xattr("user." + "n".repeat(251), new byte[] {1})
            .build())
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("over 255 bytes");
  }

  @Test
  void unpack_symlinkTargetLongerThanPathMax_isMalformed() {
    assertUnpack(new TarBuilder().symlink("s", "t/".repeat(2048)).build())
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("4096 bytes");
  }

  // ------------------------------------------------------------------------- escaping

  @Test
  void unpack_refusedNameWithControlCharacters_isEscapedInTheMessage() {
    String name = "../\u001b[2J\u001b[32mpulled OK\nimage-cli: fake second line\u202e";

    assertUnpack(new TarBuilder().file(name, "x").build())
        .isInstanceOf(UnsafeContentException.class)
        .hasMessageContaining("../\\x1b[2J\\x1b[32mpulled OK\\nimage-cli: fake second line\\u202e")
        .satisfies(t -> assertThat(t.getMessage()).doesNotContain("\u001b", "\n", "\u202e"));
  }

  @Test
  void printable_anyStoreErrorQuotingAControlCharacter_keepsItsKindAndEscapesIt() {
    LocalStorageException raw = new LocalStorageException(
        "cannot unpack 'a\u001b]0;x\u0007b\\c' of layer: /l/a\u001b]0;x\u0007b: File exists");

    ComputeImageException out = OverlayLayerStore.printable(raw);

    assertThat(out).isInstanceOf(LocalStorageException.class);
    assertThat(out.kind()).isEqualTo(ErrorKind.LOCAL_IO);
    assertThat(out.getMessage()).isEqualTo(
        "cannot unpack 'a\\x1b]0;x\\x07b\\c' of layer: /l/a\\x1b]0;x\\x07b: File exists");
    MalformedImageException clean = new MalformedImageException("plain");
    assertThat(OverlayLayerStore.printable(clean)).isSameAs(clean);
  }

  private Throwable catchUnpack(byte[] tar) {
    try {
      Path dir = Files.createDirectories(tmp.resolve("again"));
      Path blob = Files.write(tmp.resolve("again.tar"), tar);
      store.unpack(blob, LayerCompression.NONE, dir, List.of(), ProgressListener.NONE,
          Cancellation.NONE);
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("not refused");
  }
}
