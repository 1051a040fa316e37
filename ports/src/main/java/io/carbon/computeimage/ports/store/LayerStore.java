package io.carbon.computeimage.ports.store;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.spi.Capability;
import java.nio.file.Path;
import java.util.List;

/**
 * Unpacks container layer blobs into a platform's native layer directories.
 *
 * <p>Contract: nothing is ever written outside {@code layerDir}, whatever the archive says; the
 * caller unpacks into a temporary directory and renames it into place after checking the result's
 * diffID. Implementations must be thread-safe (layers may unpack in parallel into different
 * directories).
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI image layer
 *     specification</a>
 * @since 0.1
 */
public interface LayerStore extends Capability {
  /**
   * Unpacks one layer.
   *
   * @param blob the compressed layer blob as downloaded
   * @param compression the blob's compression
   * @param layerDir an empty, existing directory to unpack into
   * @param listener progress receiver
   * @param cancellation checked between entries
   * @return the diffID and sizes
   * @throws ComputeImageException {@code UnsafeContentException} for breakout attempts, {@code
   *     MalformedImageException} for malformed archives, or an I/O failure
   */
  LayerUnpackResult unpack(
      Path blob,
      LayerCompression compression,
      Path layerDir,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException;

  /**
   * Unpacks one layer over the already unpacked layers below it in the same image.
   *
   * <p>A layer may write through a directory symlink that only a lower layer has (the usrmerge
   * case: {@code lib/x} over a lower {@code lib -> usr/lib}), name a hard link target that only a
   * lower layer has, or delete lower paths; stores that keep one directory per layer need the lower
   * directories to get these right. The default ignores {@code lowerLayerDirs} and calls {@link
   * #unpack(Path, LayerCompression, Path, ProgressListener, Cancellation)}.
   *
   * @param blob the compressed layer blob as downloaded
   * @param compression the blob's compression
   * @param layerDir an empty, existing directory to unpack into
   * @param lowerLayerDirs the directories of the layers below, bottom first ({@code layers/00}
   *     first); they must be complete and are only read
   * @param listener progress receiver
   * @param cancellation checked between entries
   * @return the diffID and sizes
   * @throws ComputeImageException as for the other {@code unpack}
   * @since 0.1
   */
  default LayerUnpackResult unpack(
      Path blob,
      LayerCompression compression,
      Path layerDir,
      List<Path> lowerLayerDirs,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    return unpack(blob, compression, layerDir, listener, cancellation);
  }

  /**
   * Prepares the writable parts of a container beside its layers (for example {@code upper/} and
   * {@code work/} on Linux).
   *
   * @param imageDir the image directory holding the layers
   * @throws ComputeImageException on I/O failure
   */
  void prepareWritable(Path imageDir) throws ComputeImageException;

  /**
   * Removes an image directory the store created, releasing anything the platform holds on it.
   *
   * @param imageDir the image directory
   * @throws ComputeImageException on I/O failure
   */
  void remove(Path imageDir) throws ComputeImageException;
}
