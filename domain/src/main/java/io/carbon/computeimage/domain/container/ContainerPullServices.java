package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.image.ImageSource;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.transfer.Downloader;

/**
 * The adapters a container pull uses, created on first use.
 *
 * @since 0.1
 */
public interface ContainerPullServices {
  /**
   * @return the registry client
   * @throws ComputeImageException when no image source (or transfer) adapter is registered
   */
  ImageSource imageSource() throws ComputeImageException;

  /**
   * @return the downloader for layer blobs
   * @throws ComputeImageException when no transfer adapter is registered
   */
  Downloader downloader() throws ComputeImageException;

  /**
   * @return the layer store of this host
   * @throws ComputeImageException when no layer store supports this host
   */
  LayerStore layerStore() throws ComputeImageException;
}
