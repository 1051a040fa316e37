package io.carbon.computeimage.testkit.fake;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.testkit.distro.DistroCatalogContractTest;

/** The fake third-party catalog passes the contract, through MirrorTreeWriter's generic layout. */
final class FakeDistroCatalogContractTest extends DistroCatalogContractTest {
  @Override
  protected DistroCatalog catalog() {
    return new FakeDistroCatalog();
  }
}
