package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.spi.Capability;
import io.carbon.computeimage.ports.transfer.HttpTransport;

/**
 * Creates {@link ImageSource}s.
 *
 * @since 0.1
 */
public interface ImageSourceProvider extends Capability {
  /**
   * Creates an image source.
   *
   * @param http the transport for manifests and tokens
   * @return a thread-safe image source
   */
  ImageSource create(HttpTransport http);
}
