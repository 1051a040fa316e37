package io.carbon.computeimage.application;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.ErrorKind;

/**
 * Thrown when plugins cannot be loaded: a plugin directory that is missing or holds no plugin, a
 * plugin that fails to instantiate, or two distro catalogs claiming the same name.
 *
 * @since 0.1
 */
public class PluginLoadException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message names the plugin, jar or directory and the cause
   */
  public PluginLoadException(String message) {
    super(ErrorKind.INVALID_INPUT, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message names the plugin, jar or directory and the cause
   * @param cause the cause
   */
  public PluginLoadException(String message, Throwable cause) {
    super(ErrorKind.INVALID_INPUT, message, cause);
  }
}
