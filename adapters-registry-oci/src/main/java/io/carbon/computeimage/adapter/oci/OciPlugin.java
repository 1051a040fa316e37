package io.carbon.computeimage.adapter.oci;

import io.carbon.computeimage.ports.image.ImageSourceProvider;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import java.util.List;

/** Registers the OCI registry client. */
public final class OciPlugin implements ComputeImagePlugin {
  /** Creates the plugin. */
  public OciPlugin() {}

  @Override
  public String name() {
    return "builtin-oci-registry";
  }

  @Override
  public List<ImageSourceProvider> imageSources() {
    return List.of(new RegistryImageSourceProvider());
  }
}
