package io.carbon.computeimage.domain.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a container image lives on disk (Linux overlayfs layout).
 *
 * <p>Mount with {@code lowerdir=} the layers in reverse order (top layer first), {@code upperdir=}
 * {@link #upper()} and {@code workdir=} {@link #work()}.
 *
 * @param dir the image directory {@code <root>/<registry>/<repo>/<tag>}
 * @param layers the layer directories {@code layers/00, 01, ...}, base first
 * @param upper the overlayfs upper (writable) directory
 * @param work the overlayfs work directory
 * @param cache the shared blob cache {@code <root>/cache}
 * @since 0.1
 */
public record ContainerPaths(Path dir, List<Path> layers, Path upper, Path work, Path cache) {
  /** Validates and copies the components. */
  public ContainerPaths {
    Objects.requireNonNull(dir, "dir is null");
    layers = List.copyOf(layers);
    Objects.requireNonNull(upper, "upper is null");
    Objects.requireNonNull(work, "work is null");
    Objects.requireNonNull(cache, "cache is null");
  }

  /**
   * Returns the overlayfs {@code lowerdir} option value: the layers top first, joined by {@code :},
   * with {@code \\}, {@code :} and {@code ,} in paths escaped by a backslash as overlayfs expects.
   *
   * @return for example {@code /r/layers/01:/r/layers/00}
   */
  public String lowerDirOption() {
    StringBuilder sb = new StringBuilder();
    for (int i = layers.size() - 1; i >= 0; i--) {
      sb.append(escape(layers.get(i).toString()));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  /**
   * Returns the whole overlayfs mount option string for this image, paths escaped as in {@link
   * #lowerDirOption()}: {@code mount -t overlay overlay -o <this> <target>}.
   *
   * @return {@code lowerdir=...,upperdir=...,workdir=...}
   */
  public String mountOptions() {
    return "lowerdir="
        + lowerDirOption()
        + ",upperdir="
        + escape(upper.toString())
        + ",workdir="
        + escape(work.toString());
  }

  private static String escape(String path) {
    StringBuilder sb = new StringBuilder(path.length());
    for (char c : path.toCharArray()) {
      if (c == '\\' || c == ':' || c == ',') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }
}
