package io.carbon.computeimage.adapter.oci;

import io.carbon.computeimage.ports.image.ImageSource;
import io.carbon.computeimage.ports.image.ImageSourceContext;
import io.carbon.computeimage.ports.image.ImageSourceProvider;

/** Provides {@link RegistryImageSource}s: the built-in OCI/Docker registry client. */
public final class RegistryImageSourceProvider implements ImageSourceProvider {
  /** Creates the provider. */
  public RegistryImageSourceProvider() {}

  @Override
  public String name() {
    return "oci-registry";
  }

  @Override
  public ImageSource create(ImageSourceContext context) {
    return new RegistryImageSource(context);
  }
}
