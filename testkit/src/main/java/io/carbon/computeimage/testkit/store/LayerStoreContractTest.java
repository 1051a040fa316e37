package io.carbon.computeimage.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsafeContentException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.store.LowerLayers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link LayerStore} must meet on its platform: the diffID is the sha256 of the
 * whole uncompressed stream, content lands in the layer directory, breakout attempts are refused
 * with {@link UnsafeContentException} and leave everything outside the target untouched, and
 * {@code remove} never follows symlinks out of the image directory. Unpacking from a stream over
 * {@link LowerLayers} gives the same layer as unpacking the blob file.
 */
public abstract class LayerStoreContractTest {
  /** Per-test scratch space. */
  @TempDir protected Path tmp;

  /** @return the store under test */
  protected abstract LayerStore store();

  /**
   * Writes a blob file.
   *
   * @param bytes the blob
   * @return its path
   * @throws IOException on failure
   */
  protected Path blob(byte[] bytes) throws IOException {
    Path p = Files.createTempFile(tmp, "blob-", ".bin");
    Files.write(p, bytes);
    return p;
  }

  /**
   * Unpacks bytes into a directory.
   *
   * @param bytes the blob
   * @param compression its compression
   * @param dir the target
   * @return the result
   * @throws Exception on failure
   */
  protected LayerUnpackResult unpack(byte[] bytes, LayerCompression compression, Path dir)
      throws Exception {
    return store().unpack(blob(bytes), compression, dir, ProgressListener.NONE, Cancellation.NONE);
  }

  /**
   * sha256 of bytes as a digest.
   *
   * @param bytes the data
   * @return the digest
   * @throws Exception never in practice
   */
  protected static Digest sha256(byte[] bytes) throws Exception {
    return new Digest(DigestAlgorithm.SHA256,
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
  }

  @Test
  void name_always_isNotBlank() {
    assertThat(store().name()).isNotBlank();
  }

  @Test
  void unpack_plainTar_diffIdIsSha256OfTheTarAndContentIsWritten() throws Exception {
    byte[] tar = new TarBuilder().dir("etc/").file("etc/hello", "hi\n").build();
    Path dir = Files.createDirectory(tmp.resolve("layer"));

    LayerUnpackResult r = unpack(tar, LayerCompression.NONE, dir);

    assertThat(r.diffId()).isEqualTo(sha256(tar));
    assertThat(r.uncompressedSize()).isEqualTo(tar.length);
    assertThat(r.entries()).isEqualTo(2);
    assertThat(dir.resolve("etc/hello")).hasContent("hi");
  }

  @Test
  void unpack_multiMemberGzip_diffIdCoversEveryMember() throws Exception {
    byte[] tar = new TarBuilder().file("a", "first\n").and().file("b", "second\n").build();
    int cut = 1024; // the first entry: header + one data block
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    gz.writeBytes(TarBuilder.gzip(java.util.Arrays.copyOfRange(tar, 0, cut)));
    gz.writeBytes(TarBuilder.gzip(java.util.Arrays.copyOfRange(tar, cut, tar.length)));
    Path dir = Files.createDirectory(tmp.resolve("layer"));

    LayerUnpackResult r = unpack(gz.toByteArray(), LayerCompression.GZIP, dir);

    assertThat(r.diffId()).isEqualTo(sha256(tar));
    assertThat(dir.resolve("b")).hasContent("second");
  }

  @Test
  void unpack_trailingBytesAfterEndOfArchive_areHashedIntoTheDiffId() throws Exception {
    byte[] tar = new TarBuilder().file("a", "x").and().trailing(new byte[] {1, 2, 3, 0, 0}).build();
    Path dir = Files.createDirectory(tmp.resolve("layer"));

    LayerUnpackResult r = unpack(TarBuilder.gzip(tar), LayerCompression.GZIP, dir);

    assertThat(r.diffId()).isEqualTo(sha256(tar));
    assertThat(r.uncompressedSize()).isEqualTo(tar.length);
  }

  @Test
  void unpack_corruptGzip_isMalformed() throws Exception {
    byte[] gz = TarBuilder.gzip(new TarBuilder().file("a", "x".repeat(5000)).build());
    gz[gz.length / 2] ^= 0x55;
    gz[gz.length / 2 + 1] ^= 0x55;
    Path dir = Files.createDirectory(tmp.resolve("layer"));

    assertThatThrownBy(() -> unpack(gz, LayerCompression.GZIP, dir))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("blob");
  }

  @Test
  void unpackStream_overALowerLayer_sameDiffIdAndTreeAsFromTheFile() throws Exception {
    byte[] base = new TarBuilder().dir("etc/").mode(01777).file("etc/a", "a\n").build();
    byte[] top = new TarBuilder().file("etc/b", "b\n").and().dir("opt/").file("opt/c", "c\n")
        .and().hardlink("etc/a2", "etc/a").build();
    Path lower = Files.createDirectory(tmp.resolve("l0"));
    unpack(base, LayerCompression.NONE, lower);
    Path fromFile = Files.createDirectory(tmp.resolve("from-file"));
    Path fromStream = Files.createDirectory(tmp.resolve("from-stream"));
    byte[] gz = TarBuilder.gzip(top);

    LayerUnpackResult f = store().unpack(blob(gz), LayerCompression.GZIP, fromFile, List.of(lower),
        ProgressListener.NONE, Cancellation.NONE);
    LayerUnpackResult s = store().unpack(new java.io.ByteArrayInputStream(gz),
        LayerCompression.GZIP, fromStream, LowerLayers.of(List.of(lower)), ProgressListener.NONE,
        Cancellation.NONE);

    assertThat(s.diffId()).isEqualTo(sha256(top)).isEqualTo(f.diffId());
    assertThat(s.uncompressedSize()).isEqualTo(f.uncompressedSize());
    assertThat(s.entries()).isEqualTo(f.entries());
    assertThat(TreeSnapshot.differences(TreeSnapshot.of(fromFile), TreeSnapshot.of(fromStream),
        TreeSnapshot.Options.defaults())).isEmpty();
    assertThat(fromStream.resolve("etc/b")).hasContent("b");
    assertThat(fromStream.resolve("etc/a2")).hasContent("a");
  }

  @Test
  void unpackStream_blobReadFails_failsWithAStoreError() throws Exception {
    byte[] gz = TarBuilder.gzip(new TarBuilder().file("a", "x".repeat(100_000)).build());
    java.io.InputStream failing = new java.io.FilterInputStream(
        new java.io.ByteArrayInputStream(gz, 0, gz.length / 2)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
          throw new IOException("connection reset (injected)");
        }
        return n;
      }
    };
    Path dir = Files.createDirectory(tmp.resolve("layer"));

    assertThatThrownBy(() -> store().unpack(failing, LayerCompression.GZIP, dir,
            LowerLayers.of(List.of()), ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOfAny(MalformedImageException.class,
            io.carbon.computeimage.ports.error.LocalStorageException.class);
  }

  @Test
  void unpackStream_lowerLayersFail_theUnpackFailsWithTheirError() throws Exception {
    byte[] top = TarBuilder.gzip(new TarBuilder().file("etc/b", "b\n").build()); // needs etc/ below
    Path dir = Files.createDirectory(tmp.resolve("layer"));
    LowerLayers failed = () -> {
      throw new CancelledException("layer 0 below failed (injected)");
    };

    assertThatThrownBy(() -> store().unpack(new java.io.ByteArrayInputStream(top),
            LayerCompression.GZIP, dir, failed, ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOf(CancelledException.class)
        .hasMessageContaining("injected");
  }

  @Test
  void unpack_siblingPrefixTraversal_isRefusedAndNothingOutsideChanges() throws Exception {
    assertRefusedAndContained(new TarBuilder().file("../10/x", "owned\n").build(), "../10/x");
  }

  @Test
  void unpack_deepParentTraversal_isRefusedAndNothingOutsideChanges() throws Exception {
    assertRefusedAndContained(
        new TarBuilder().file("a/../../../outside/secret", "owned\n").build(), "outside/secret");
  }

  @Test
  void unpack_absolutePath_isRefusedAndNothingOutsideChanges() throws Exception {
    Path base = Files.createDirectory(tmp.resolve("base"));
    String victim = base.resolve("outside/secret").toString();
    assertRefusedAndContained(new TarBuilder().file(victim, "owned\n").build(), victim, base);
  }

  @Test
  void unpack_symlinkLeadingOutThenEntryThroughIt_isRefusedAndNothingOutsideChanges()
      throws Exception {
    byte[] tar = new TarBuilder()
        .symlink("escape", "../../outside")
        .file("escape/secret", "owned\n")
        .build();
    assertRefusedAndContained(tar, "escape/secret");
  }

  @Test
  void unpack_hardlinkToAPathOutside_isRefusedAndNothingOutsideChanges() throws Exception {
    byte[] tar = new TarBuilder().hardlink("h", "../../outside/secret").mode(04777).build();
    assertRefusedAndContained(tar, "../../outside/secret");
  }

  @Test
  void unpack_symlinkNamedDot_isRefusedAndNothingOutsideChanges() throws Exception {
    Path base = Files.createDirectory(tmp.resolve("base"));
    byte[] tar = new TarBuilder()
        .symlink(".", base.resolve("outside").toString())
        .file("secret", "owned\n")
        .build();
    assertRefusedAndContained(tar, "'.'", base);
  }

  @Test
  void remove_imageWithSymlinksPointingOut_deletesOnlyTheImage() throws Exception {
    Sentinels s = Sentinels.create(Files.createDirectory(tmp.resolve("base")));
    Path image = Files.createDirectories(tmp.resolve("image/layers/00"));
    Files.createSymbolicLink(image.resolve("out"), s.outside());
    Files.createSymbolicLink(image.resolve("abs"), Path.of("/"));
    Files.writeString(image.resolve("f"), "x");
    List<String> before = s.outsideListing();

    store().remove(tmp.resolve("image"));

    assertThat(tmp.resolve("image")).doesNotExist();
    assertThat(s.outsideListing()).isEqualTo(before);
  }

  @Test
  void prepareWritable_imageDir_createsEmptyUpperAndWork() throws Exception {
    Path image = Files.createDirectory(tmp.resolve("image"));

    store().prepareWritable(image);

    assertThat(image.resolve("upper")).isEmptyDirectory();
    assertThat(image.resolve("work")).isEmptyDirectory();
  }

  private void assertRefusedAndContained(byte[] tar, String messagePart) throws Exception {
    assertRefusedAndContained(tar, messagePart, Files.createDirectory(tmp.resolve("base")));
  }

  private void assertRefusedAndContained(byte[] tar, String messagePart, Path base)
      throws Exception {
    Sentinels s = Sentinels.create(base);
    List<String> before = s.outsideListing();

    assertThatThrownBy(() -> unpack(tar, LayerCompression.NONE, s.target()))
        .isInstanceOf(UnsafeContentException.class)
        .isInstanceOf(ComputeImageException.class)
        .hasMessageContaining(messagePart);
    assertThat(s.outsideListing()).isEqualTo(before);
  }
}
