package io.carbon.computeimage.ports.spi;

import io.carbon.computeimage.ports.model.HostInfo;

/**
 * What every pluggable port implementation says about itself so the application can choose one.
 *
 * <p>The application picks, among the implementations supported on the host, the one with the
 * highest {@link #priority()}. Implementations must be cheap to construct and must not load native
 * code before they are used.
 *
 * @since 0.1
 */
public interface Capability {
  /**
   * Returns a short, stable name used in messages and for selection.
   *
   * @return the name, for example {@code ubuntu} or {@code qcow2-java}
   */
  String name();

  /**
   * Returns the priority among implementations of the same port; higher wins.
   *
   * @return the priority, 0 by default
   */
  default int priority() {
    return 0;
  }

  /**
   * Tells whether this implementation works on the host.
   *
   * @param host the host description
   * @return true when usable, the default
   */
  default boolean isSupported(HostInfo host) {
    return true;
  }
}
