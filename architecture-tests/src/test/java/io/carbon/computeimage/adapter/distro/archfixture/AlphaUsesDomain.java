package io.carbon.computeimage.adapter.distro.archfixture;

import io.carbon.computeimage.domain.cyclea.CycleA;

/** A deliberate violation: an adapter that imports the domain. */
public final class AlphaUsesDomain {
  /** @return a domain object */
  public CycleA domain() {
    return new CycleA();
  }
}
