package io.carbon.computeimage.adapter.convert.kernel;

import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import java.util.List;

/** Registers the pure-Java kernel extractor. */
public final class KernelPlugin implements ComputeImagePlugin {
  /** Creates the plugin. */
  public KernelPlugin() {}

  @Override
  public String name() {
    return "kernel-extractor";
  }

  @Override
  public List<KernelExtractor> kernelExtractors() {
    return List.of(new DiskKernelExtractor());
  }
}
