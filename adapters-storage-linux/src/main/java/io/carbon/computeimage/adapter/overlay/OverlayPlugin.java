package io.carbon.computeimage.adapter.overlay;

import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.store.LayerStore;
import java.util.List;

/** Registers the {@link OverlayLayerStore} (Linux overlayfs lower directories). */
public final class OverlayPlugin implements ComputeImagePlugin {
  /** Creates the plugin. */
  public OverlayPlugin() {}

  @Override
  public String name() {
    return "overlay";
  }

  @Override
  public List<LayerStore> layerStores() {
    return List.of(new OverlayLayerStore());
  }
}
