package io.carbon.computeimage.adapter.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.testkit.store.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compression, diffID and tar-format inputs (items 31–33), including archives made by GNU tar. */
class StreamsTest {
  @TempDir Path tmp;

  private final OverlayLayerStore store = new OverlayLayerStore();

  private LayerUnpackResult unpack(byte[] blob, LayerCompression c, Path dir) throws Exception {
    Path f = Files.createTempFile(tmp, "blob", ".bin");
    Files.write(f, blob);
    return store.unpack(f, c, dir, ProgressListener.NONE, () -> false);
  }

  private Path newDir(String name) throws Exception {
    return Files.createDirectory(tmp.resolve(name));
  }

  private static String sha(byte[] b) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] run(Path cwd, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + err).isZero();
    return out;
  }

  private byte[] zstd(byte[] data) throws Exception {
    Path f = Files.createTempFile(tmp, "z", ".raw");
    Files.write(f, data);
    return run(tmp, "zstd", "-q", "-c", f.toString());
  }

  @Test
  void unpack_zstdWithSkippableFramesBetweenFrames_decodesAndHashesTheTar() throws Exception {
    byte[] tar = new TarBuilder().file("a", "alpha".repeat(1000)).and().file("b", "beta").build();
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    blob.writeBytes(new byte[] {0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9}); // leading skippable
    blob.writeBytes(zstd(java.util.Arrays.copyOfRange(tar, 0, 1536)));
    blob.writeBytes(new byte[] {0x5F, 0x2A, 0x4D, 0x18, 0, 0, 0, 0}); // empty skippable
    blob.writeBytes(zstd(java.util.Arrays.copyOfRange(tar, 1536, tar.length)));
    blob.writeBytes(new byte[] {0x53, 0x2A, 0x4D, 0x18, 2, 0, 0, 0, 1, 2}); // trailing skippable
    Path dir = newDir("z");

    LayerUnpackResult r = unpack(blob.toByteArray(), LayerCompression.ZSTD, dir);

    assertThat(r.diffId()).hasToString(sha(tar));
    assertThat(dir.resolve("b")).hasContent("beta");
    assertThat(dir.resolve("a")).hasContent("alpha".repeat(1000));
  }

  @Test
  void unpack_zstdWithGarbageAfterTheLastFrame_isMalformed() throws Exception {
    byte[] blob = zstd(new TarBuilder().file("a", "x").build());
    byte[] bad = java.util.Arrays.copyOf(blob, blob.length + 8);

    assertThatThrownBy(() -> unpack(bad, LayerCompression.ZSTD, newDir("z")))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("blob");
  }

  @Test
  void unpack_zeroByteBlob_isAnEmptyLayer() throws Exception {
    LayerUnpackResult r = unpack(new byte[0], LayerCompression.GZIP, newDir("e"));

    assertThat(r.entries()).isZero();
    assertThat(r.diffId()).hasToString(sha(new byte[0]));
  }

  @Test
  void unpack_gzipWithNulPaddingAfterTheMember_diffIdIsTheTarOnly() throws Exception {
    byte[] tar = new TarBuilder().file("a", "x").build();
    byte[] gz = TarBuilder.gzip(tar);
    byte[] padded = java.util.Arrays.copyOf(gz, gz.length + 4096);

    LayerUnpackResult r = unpack(padded, LayerCompression.GZIP, newDir("p"));

    assertThat(r.diffId()).hasToString(sha(tar));
  }

  @Test
  void unpack_truncatedGzip_isMalformed() throws Exception {
    byte[] gz = TarBuilder.gzip(new TarBuilder().file("a", "x".repeat(100_000)).build());
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);

    assertThatThrownBy(() -> unpack(cut, LayerCompression.GZIP, newDir("t")))
        .isInstanceOf(MalformedImageException.class);
  }

  @Test
  void unpack_tarWithoutEndOfArchiveBlocks_isAccepted() throws Exception {
    byte[] tar = new TarBuilder().file("a", "x").and().withoutEndBlocks().build();
    Path d = newDir("n");

    LayerUnpackResult r = unpack(tar, LayerCompression.NONE, d);

    assertThat(r.entries()).isEqualTo(1);
    assertThat(d.resolve("a")).hasContent("x");
  }

  @Test
  void unpack_corruptHeaderChecksum_isMalformed() throws Exception {
    byte[] tar = new TarBuilder().file("a", "x").build();
    tar[10] ^= 1;

    assertThatThrownBy(() -> unpack(tar, LayerCompression.NONE, newDir("c")))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void unpack_cancelled_stopsWithCancelledException() throws Exception {
    Path f = Files.createTempFile(tmp, "blob", ".tar");
    Files.write(f, new TarBuilder().file("a", "x").build());

    assertThatThrownBy(() -> store.unpack(f, LayerCompression.NONE, newDir("x"),
            ProgressListener.NONE, () -> true))
        .isInstanceOf(CancelledException.class);
  }

  @Test
  void unpack_gnuTarSparseFilesInEveryFormat_matchTheSourceAndStaySparse() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    try (var raf = new java.io.RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
      raf.setLength(16L << 20);
      raf.seek(1 << 20);
      raf.write("middle".getBytes());
      raf.seek((16L << 20) - 5);
      raf.write("end!!".getBytes());
    }
    byte[] expected = Files.readAllBytes(src.resolve("sparse"));
    for (List<String> fmt : List.of(
        List.of("--format=gnu"),
        List.of("--format=posix", "--sparse-version=0.0"),
        List.of("--format=posix", "--sparse-version=0.1"),
        List.of("--format=posix", "--sparse-version=1.0"))) {
      List<String> cmd = new java.util.ArrayList<>(List.of("tar", "-S", "-c", "-f", "-"));
      cmd.addAll(fmt);
      cmd.add("sparse");
      byte[] tar = run(src, cmd.toArray(String[]::new));
      Path d = newDir("out" + fmt.hashCode());

      unpack(tar, LayerCompression.NONE, d);

      assertThat(Files.readAllBytes(d.resolve("sparse"))).as(fmt.toString()).isEqualTo(expected);
      assertThat(MetadataTest.blocksOf(d.resolve("sparse"))).as(fmt.toString()).isLessThan(2048);
    }
  }

  @Test
  void unpack_gnuTarWithXattrsAndLongNames_keepsThem() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    String longName = "n".repeat(180);
    Path f = Files.writeString(src.resolve(longName), "data");
    io.carbon.computeimage.adapter.overlay.linux.PosixFs.setXattr(
        f, "security.capability", MetadataTest.CAP_SETUID);
    io.carbon.computeimage.adapter.overlay.linux.PosixFs.setXattr(f, "user.k", new byte[] {(byte) 0xfe});
    byte[] tar = run(src, "tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-c", "-f", "-",
        longName);
    Path d = newDir("x");

    unpack(tar, LayerCompression.NONE, d);

    assertThat(d.resolve(longName)).hasContent("data");
    assertThat(io.carbon.computeimage.adapter.overlay.linux.PosixFs.getXattr(
            d.resolve(longName), "security.capability"))
        .hasValueSatisfying(v -> assertThat(v).isEqualTo(MetadataTest.CAP_SETUID));
  }

  @Test
  void unpack_ustarPrefixFieldFromGnuTar_joinsPrefixAndName() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    String dir = "p".repeat(90) + "/" + "q".repeat(40);
    Files.createDirectories(src.resolve(dir));
    Files.writeString(src.resolve(dir + "/file-with-a-name"), "prefixed");
    byte[] tar = run(src, "tar", "--format=ustar", "-c", "-f", "-", dir + "/file-with-a-name");
    Path d = newDir("u");

    unpack(tar, LayerCompression.NONE, d);

    assertThat(d.resolve(dir + "/file-with-a-name")).hasContent("prefixed");
  }

  @Test
  void unpack_deviceMajorBeyond32BitsInBase256_isMalformed() throws Exception {
    byte[] tar = new TarBuilder().charDevice("dev/huge", 1, 1).and().build();
    // devmajor field (8 bytes at 329) in base-256: 0x80 marker, value 2^33
    byte[] field = {(byte) 0x80, 0, 0, 2, 0, 0, 0, 0};
    System.arraycopy(field, 0, tar, 329, 8);
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : tar[i] & 0xff;
    }
    byte[] cs = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(cs, 0, tar, 148, 6);

    assertThatThrownBy(() -> unpack(tar, LayerCompression.NONE, newDir("b")))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void unpack_anyLayer_reportsStartProgressAndFinishForTheLayerDirectory() throws Exception {
    byte[] gz = TarBuilder.gzip(new TarBuilder().file("big", new byte[3 << 20]).build());
    Path f = Files.write(tmp.resolve("blob.gz"), gz);
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void started(String taskId, String description, long totalBytes) {
        events.add("started " + taskId + " " + totalBytes);
      }

      @Override
      public void finished(String taskId) {
        events.add("finished " + taskId);
      }
    };

    store.unpack(f, LayerCompression.GZIP, newDir("03"), listener, () -> false);

    assertThat(events).containsExactly("started unpack 03 " + gz.length, "finished unpack 03");
  }
}
