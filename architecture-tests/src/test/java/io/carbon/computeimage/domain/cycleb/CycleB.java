package io.carbon.computeimage.domain.cycleb;

import io.carbon.computeimage.domain.cyclea.CycleA;

/** The other half of a deliberate package cycle. */
public final class CycleB {
  /** @return the first half */
  public CycleA other() {
    return new CycleA();
  }
}
