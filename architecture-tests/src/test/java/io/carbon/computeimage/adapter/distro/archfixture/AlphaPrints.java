package io.carbon.computeimage.adapter.distro.archfixture;

/** A deliberate violation: library code that prints. */
public final class AlphaPrints {
  /** Prints. */
  public void shout() {
    System.out.println("library code must not print");
  }
}
