package io.carbon.computeimage.ports.model;

/**
 * The host operating system family, as far as storage layout and layer stores care.
 *
 * @since 0.1
 */
public enum OsFamily {
  /** Linux. */
  LINUX,
  /** Windows. */
  WINDOWS,
  /** Anything else (macOS, BSD): VM images work, container layer stores may not. */
  OTHER
}
