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
   * @param context the transport, host facts and environment
   * @return a thread-safe image source
   */
  ImageSource create(ImageSourceContext context);

  /**
   * Creates an image source with anonymous access only.
   *
   * @param http the transport for manifests and tokens
   * @return a thread-safe image source
   */
  default ImageSource create(HttpTransport http) {
    return create(ImageSourceContext.of(http));
  }
}
