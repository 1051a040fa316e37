package io.carbon.computeimage.domain.outward;

import io.carbon.computeimage.adapter.oci.archfixture.BetaThing;

/** A deliberate violation: a dependency pointing outward, from the domain to an adapter. */
public final class DomainUsesAdapter {
  /** @return a value from an adapter */
  public int value() {
    return new BetaThing().value();
  }
}
