package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.nio.file.Path;
import java.util.List;

/** Creates the library instance a command works with (replaceable in tests). */
@FunctionalInterface
public interface ComputeImageFactory {
  /**
   * Creates the instance.
   *
   * @param root the root directory
   * @param listener the progress listener
   * @param cancellation polled by long operations (Ctrl-C requests it)
   * @param pluginDirs extra plugin directories
   * @return the instance
   * @throws ComputeImageException when plugins cannot be loaded
   */
  ComputeImage create(
      Path root, ProgressListener listener, Cancellation cancellation, List<Path> pluginDirs)
      throws ComputeImageException;

  /**
   * The default: plugins from the class path, the given directories and the default plugin
   * directory when it exists.
   *
   * @param defaultPluginDir the default plugin directory
   * @return the factory
   */
  static ComputeImageFactory standard(Path defaultPluginDir) {
    return (root, listener, cancellation, dirs) -> {
      ComputeImage.Builder b =
          ComputeImage.builder().rootDir(root).progressListener(listener).cancellation(cancellation);
      dirs.forEach(b::addPluginDirectory);
      if (defaultPluginDir != null && java.nio.file.Files.isDirectory(defaultPluginDir)) {
        b.addPluginDirectory(defaultPluginDir);
      }
      return b.build();
    };
  }
}
