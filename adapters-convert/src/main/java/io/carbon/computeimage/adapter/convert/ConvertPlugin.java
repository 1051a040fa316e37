package io.carbon.computeimage.adapter.convert;

import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import java.util.List;

/**
 * Registers the pure-Java disk converter ({@link QcowDiskConverter}).
 *
 * @since 0.1
 */
public final class ConvertPlugin implements ComputeImagePlugin {
  /** Creates the plugin (cheap; nothing is loaded until used). */
  public ConvertPlugin() {}

  @Override
  public String name() {
    return "builtin-convert";
  }

  @Override
  public List<DiskConverter> diskConverters() {
    return List.of(new QcowDiskConverter());
  }
}
