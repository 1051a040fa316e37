package io.carbon.computeimage.ports.spi;

import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.image.ImageSourceProvider;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import java.util.List;

/**
 * The one entry type a plugin jar registers through {@link java.util.ServiceLoader}.
 *
 * <p>Every method has a default that contributes nothing, so the SPI can grow without breaking
 * existing plugins. Implementations need a public no-argument constructor and must be cheap to
 * construct.
 *
 * @since 0.1
 */
public interface ComputeImagePlugin {
  /**
   * Returns a name for messages, for example {@code builtin-distros}.
   *
   * @return the plugin name
   */
  String name();

  /** @return distro catalogs contributed by this plugin */
  default List<DistroCatalog> distroCatalogs() {
    return List.of();
  }

  /** @return disk converters contributed by this plugin */
  default List<DiskConverter> diskConverters() {
    return List.of();
  }

  /** @return kernel extractors contributed by this plugin */
  default List<KernelExtractor> kernelExtractors() {
    return List.of();
  }

  /** @return container layer stores contributed by this plugin */
  default List<LayerStore> layerStores() {
    return List.of();
  }

  /** @return transfer (HTTP and download) providers contributed by this plugin */
  default List<TransferProvider> transferProviders() {
    return List.of();
  }

  /** @return container image sources (registry clients) contributed by this plugin */
  default List<ImageSourceProvider> imageSources() {
    return List.of();
  }
}
