package io.carbon.computeimage.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.store.LowerLayers;
import io.carbon.computeimage.testkit.app.Hashes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests for the default {@code LayerStore.unpack(InputStream, ...)}: spool, await, unpack. */
final class LayerStoreDefaultStreamUnpackTest {
  @TempDir Path tmp;

  /** Implements only the file-based unpack, recording what it was given. */
  private static final class FileOnlyStore implements LayerStore {
    final List<byte[]> blobs = new ArrayList<>();
    final List<List<Path>> lowers = new ArrayList<>();

    @Override
    public String name() {
      return "file-only";
    }

    @Override
    public LayerUnpackResult unpack(Path blob, LayerCompression compression, Path layerDir,
        ProgressListener listener, Cancellation cancellation) {
      return unpack(blob, compression, layerDir, List.of(), listener, cancellation);
    }

    @Override
    public LayerUnpackResult unpack(Path blob, LayerCompression compression, Path layerDir,
        List<Path> lowerLayerDirs, ProgressListener listener, Cancellation cancellation) {
      try {
        byte[] b = Files.readAllBytes(blob);
        blobs.add(b);
        lowers.add(lowerLayerDirs);
        return new LayerUnpackResult(Hashes.sha256(b), b.length, 0);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void prepareWritable(Path imageDir) {}

    @Override
    public void remove(Path imageDir) {}
  }

  @Test
  void unpackStream_storeWithoutStreaming_spoolsAwaitsLowersAndLeavesNoSpoolFile()
      throws Exception {
    FileOnlyStore store = new FileOnlyStore();
    Path layer = Files.createDirectory(tmp.resolve("layer"));
    Path lower = Files.createDirectory(tmp.resolve("lower"));
    byte[] blob = "the blob bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    LayerUnpackResult r = store.unpack(new ByteArrayInputStream(blob), LayerCompression.NONE,
        layer, LowerLayers.of(List.of(lower)), ProgressListener.NONE, Cancellation.NONE);

    assertThat(r.diffId()).isEqualTo(Hashes.sha256(blob));
    assertThat(store.blobs).containsExactly(blob);
    assertThat(store.lowers).containsExactly(List.of(lower));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layer", "lower");
    }
  }
}
