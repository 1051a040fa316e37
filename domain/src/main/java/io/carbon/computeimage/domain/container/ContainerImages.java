package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.vm.VmLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads container facts out of a pulled image's record. Record attributes written by {@link
 * ContainerPuller}: {@code manifestDigest}, {@code resolvedDigest}, {@code configDigest}, {@code
 * mediaType}, {@code layers} (count), {@code layer.NN.digest|size|diffId|mediaType}, {@code
 * env.N}, {@code entrypoint.N}, {@code cmd.N} (with {@code env.count} etc.), {@code workingDir},
 * {@code user}, {@code created}, {@code compressedSize}, {@code root}.
 *
 * @since 0.1
 */
public final class ContainerImages {
  private ContainerImages() {}

  /**
   * Returns the paths of a pulled container image.
   *
   * @param image a container image
   * @return its paths
   * @throws IllegalArgumentException when the image is not a container image
   */
  public static ContainerPaths paths(PulledImage image) {
    ImageRecord r = image.record();
    if (!ImageRecord.KIND_CONTAINER.equals(r.kind())) {
      throw new IllegalArgumentException("not a container image: " + image);
    }
    int layers = (int) Math.max(0, r.longAttribute("layers"));
    Path root = r.attribute("root").map(Path::of).orElse(image.dir());
    Path dir = image.dir();
    List<Path> ls = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      ls.add(ContainerLayout.layerDir(dir, i));
    }
    return new ContainerPaths(
        dir, ls, dir.resolve("upper"), dir.resolve("work"), root.resolve(VmLayout.CACHE_DIR));
  }

  /**
   * Reads a list attribute written as {@code name.count} and {@code name.0 ...}.
   *
   * @param r the record
   * @param name the list name, for example {@code env}
   * @return the values
   */
  public static List<String> list(ImageRecord r, String name) {
    long n = r.longAttribute(name + ".count");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(r.attribute(name + "." + i).orElse(""));
    }
    return out;
  }

  /**
   * Returns the layer key prefix of index {@code i}: {@code layer.00.}.
   *
   * @param i the index
   * @return the prefix
   */
  public static String layerKey(int i) {
    return String.format(java.util.Locale.ROOT, "layer.%02d.", i);
  }
}
