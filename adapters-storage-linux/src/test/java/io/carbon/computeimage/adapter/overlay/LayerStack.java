package io.carbon.computeimage.adapter.overlay;

import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Unpacks tars as layers/00, 01, … of one image with {@link OverlayLayerStore}, as a pull does. */
final class LayerStack {
  private final OverlayLayerStore store = new OverlayLayerStore();
  private final Path base;
  private final List<Path> layers = new ArrayList<>();

  LayerStack(Path base) {
    this.base = base;
  }

  Path add(byte[] tar) throws Exception {
    return add(tar, LayerCompression.NONE);
  }

  Path add(byte[] blob, LayerCompression compression) throws Exception {
    Path dir = Files.createDirectories(base.resolve(String.format("layers/%02d", layers.size())));
    Path file = Files.createTempFile(base, "blob", ".bin");
    Files.write(file, blob);
    LayerUnpackResult r = store.unpack(file, compression, dir, List.copyOf(layers),
        ProgressListener.NONE, Cancellation.NONE);
    if (r.diffId() == null) {
      throw new AssertionError("no diffID");
    }
    layers.add(dir);
    return dir;
  }

  Path layer(int i) {
    return layers.get(i);
  }

  List<Path> layers() {
    return List.copyOf(layers);
  }

  OverlayMount mount() throws Exception {
    return OverlayMount.mount(layers, Files.createDirectories(base.resolve("mnt")));
  }
}
