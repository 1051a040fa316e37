package io.carbon.computeimage.domain.cyclea;

import io.carbon.computeimage.domain.cycleb.CycleB;

/** One half of a deliberate package cycle. */
public final class CycleA {
  /** @return the other half */
  public CycleB other() {
    return new CycleB();
  }
}
