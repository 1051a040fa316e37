package io.carbon.computeimage.adapter.overlay;

import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.testkit.store.LayerStoreContractTest;

class OverlayLayerStoreContractTest extends LayerStoreContractTest {
  @Override
  protected LayerStore store() {
    return new OverlayLayerStore();
  }
}
