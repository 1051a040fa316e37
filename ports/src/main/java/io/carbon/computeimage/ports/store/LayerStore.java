package io.carbon.computeimage.ports.store;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.spi.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
   * Unpacks one layer from a stream of its blob, over lower layers that may still be unpacking.
   *
   * <p>Lets a caller unpack a blob while it downloads, and unpack the layers of one image in
   * parallel. The stream is read in order up to the end of the compressed data; the store need not
   * read trailing bytes after it. A read failure of {@code blob} ends the unpack with an error (a
   * {@code MalformedImageException} or a {@code LocalStorageException}) and leaves {@code layerDir}
   * for the caller to delete. The store calls {@link LowerLayers#await()} only when an entry needs
   * the lower layers (stores may call it at once). The stream is not closed.
   *
   * <p>The default copies the stream into a temporary file beside {@code layerDir}, waits for the
   * lower layers and calls {@link #unpack(Path, LayerCompression, Path, List, ProgressListener,
   * Cancellation)}; stores that can unpack from a stream override it.
   *
   * @param blob the compressed layer blob, read from its start
   * @param compression the blob's compression
   * @param layerDir an empty, existing directory to unpack into
   * @param lowerLayers the layers below, bottom first
   * @param listener progress receiver
   * @param cancellation checked between entries
   * @return the diffID and sizes
   * @throws ComputeImageException as for the other {@code unpack}, or what {@link
   *     LowerLayers#await()} throws
   * @since 0.1
   */
  default LayerUnpackResult unpack(
      InputStream blob,
      LayerCompression compression,
      Path layerDir,
      LowerLayers lowerLayers,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    Path parent = layerDir.toAbsolutePath().getParent();
    Path spool;
    try {
      spool = Files.createTempFile(parent, "." + layerDir.getFileName() + "-", ".blob");
    } catch (IOException e) {
      throw new LocalStorageException("cannot create a temporary file in " + parent + ": " + e, e);
    }
    try {
      try {
        Files.copy(blob, spool, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new LocalStorageException("cannot read the layer blob for " + layerDir + ": " + e, e);
      }
      cancellation.check();
      return unpack(spool, compression, layerDir, lowerLayers.await(), listener, cancellation);
    } finally {
      try {
        Files.deleteIfExists(spool);
      } catch (IOException ignored) {
        // a leftover dot file in the image directory is removed by the next pull's cleanup
      }
    }
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
   * Checks, before anything of an image is deleted, that no mounted file system uses its layers or
   * writable parts (on Linux: an overlay mount whose lower, upper or work directory lies inside
   * {@code imageDir}, wherever that mount is). The default checks nothing.
   *
   * @param imageDir the image directory
   * @throws ComputeImageException (LocalStorage) naming the mount that uses the image
   */
  default void requireNotInUse(Path imageDir) throws ComputeImageException {}

  /**
   * Removes an image directory the store created, releasing anything the platform holds on it.
   *
   * @param imageDir the image directory
   * @throws ComputeImageException on I/O failure
   */
  void remove(Path imageDir) throws ComputeImageException;
}
