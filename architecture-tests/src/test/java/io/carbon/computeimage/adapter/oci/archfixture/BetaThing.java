package io.carbon.computeimage.adapter.oci.archfixture;

/** A class of a second fake adapter. */
public final class BetaThing {
  /** @return a value */
  public int value() {
    return 1;
  }
}
