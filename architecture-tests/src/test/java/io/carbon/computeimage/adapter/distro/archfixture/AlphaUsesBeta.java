package io.carbon.computeimage.adapter.distro.archfixture;

import io.carbon.computeimage.adapter.oci.archfixture.BetaThing;

/** A deliberate violation: an adapter that imports another adapter. */
public final class AlphaUsesBeta {
  /** @return a value from the other adapter */
  public int value() {
    return new BetaThing().value();
  }
}
