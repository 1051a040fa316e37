package io.carbon.computeimage.ports.store;

import io.carbon.computeimage.ports.error.ComputeImageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The layers below a layer being unpacked, which may still be unpacking themselves.
 *
 * <p>Layers of one image can unpack in parallel: a store asks for the lower layers only when an
 * entry needs them (a parent directory this layer does not have, a hard link target, a deleted
 * path), and {@link #await()} waits until every lower layer is complete. An entry that needs
 * nothing below is written at once. Implementations must be thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface LowerLayers {
  /**
   * Waits until every lower layer is complete and returns their directories.
   *
   * @return the directories of the layers below, bottom first ({@code layers/00} first); empty for
   *     a base layer. They are complete and are only read.
   * @throws ComputeImageException {@code CancelledException} when the wait is interrupted, or the
   *     failure of a lower layer (then the layer being unpacked cannot complete either)
   */
  List<Path> await() throws ComputeImageException;

  /**
   * Lower layers that are already complete.
   *
   * @param bottomFirst the directories, {@code layers/00} first
   * @return lower layers whose {@link #await()} returns at once
   */
  static LowerLayers of(List<Path> bottomFirst) {
    List<Path> dirs = List.copyOf(Objects.requireNonNull(bottomFirst, "bottomFirst is null"));
    return () -> dirs;
  }
}
