package io.carbon.computeimage.adapter.distro.catalog;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.testkit.distro.DistroCatalogContractTest;

final class CentOsStreamCatalogContractTest extends DistroCatalogContractTest {
  @Override
  protected DistroCatalog catalog() {
    return new CentOsStreamCatalog();
  }
}
