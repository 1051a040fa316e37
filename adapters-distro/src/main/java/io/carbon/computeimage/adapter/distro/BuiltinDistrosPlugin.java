package io.carbon.computeimage.adapter.distro;

import io.carbon.computeimage.adapter.distro.catalog.AlmaLinuxCatalog;
import io.carbon.computeimage.adapter.distro.catalog.AlpineCatalog;
import io.carbon.computeimage.adapter.distro.catalog.ArchLinuxCatalog;
import io.carbon.computeimage.adapter.distro.catalog.CentOsStreamCatalog;
import io.carbon.computeimage.adapter.distro.catalog.DebianCatalog;
import io.carbon.computeimage.adapter.distro.catalog.FedoraCatalog;
import io.carbon.computeimage.adapter.distro.catalog.OpenSuseCatalog;
import io.carbon.computeimage.adapter.distro.catalog.RockyCatalog;
import io.carbon.computeimage.adapter.distro.catalog.UbuntuCatalog;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import java.util.List;

/**
 * Contributes the nine built-in distro catalogs: Ubuntu, Debian, Fedora, openSUSE, Rocky Linux,
 * AlmaLinux, CentOS Stream, Alpine Linux and Arch Linux.
 *
 * @since 0.1
 */
public final class BuiltinDistrosPlugin implements ComputeImagePlugin {
  /** Creates the plugin; the catalogs are cheap, stateless values. */
  public BuiltinDistrosPlugin() {}

  @Override
  public String name() {
    return "builtin-distros";
  }

  @Override
  public List<DistroCatalog> distroCatalogs() {
    return List.of(
        new UbuntuCatalog(),
        new DebianCatalog(),
        new FedoraCatalog(),
        new OpenSuseCatalog(),
        new RockyCatalog(),
        new AlmaLinuxCatalog(),
        new CentOsStreamCatalog(),
        new AlpineCatalog(),
        new ArchLinuxCatalog());
  }
}
