package io.carbon.computeimage.ports.disk;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.spi.Capability;
import java.nio.file.Path;
import java.util.Set;

/**
 * Converts a disk image between formats.
 *
 * <p>The source format is detected from the content. The output is written under a temporary
 * name beside {@code destination} and renamed into place only when complete. Raw output is sparse;
 * fixed VHD output never is. Malformed input gives {@code MalformedImageException}, unsupported
 * features (backing files, encryption, external data files) {@code UnsupportedFeatureException}.
 * Implementations must be thread-safe.
 *
 * @see <a href="https://gitlab.com/qemu-project/qemu/-/blob/master/docs/interop/qcow2.txt">QCOW2
 *     specification</a>
 * @since 0.1
 */
public interface DiskConverter extends Capability {
  /** @return formats this converter reads */
  Set<DiskFormat> readableFormats();

  /** @return formats this converter writes */
  Set<DiskFormat> writableFormats();

  /**
   * Detects the format of a disk image file.
   *
   * @param source the file
   * @return the detected format
   * @throws ComputeImageException when the file cannot be read or is of no readable format
   */
  DiskFormat detect(Path source) throws ComputeImageException;

  /**
   * Converts {@code source} into {@code destination} in {@code target} format.
   *
   * @param source the input image
   * @param destination the output path; replaced atomically when complete
   * @param target the output format
   * @param listener progress receiver
   * @param cancellation checked between chunks
   * @return the result
   * @throws ComputeImageException when the input is malformed or unsupported, or on I/O failure
   */
  ConversionResult convert(
      Path source,
      Path destination,
      DiskFormat target,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException;

  /**
   * Converts as {@link #convert(Path, Path, DiskFormat, ProgressListener, Cancellation)} with an
   * explicit durability. {@link Durability#PAGE_CACHE} allows the converter to skip the flush
   * before the rename; the default implementation always flushes (which satisfies both).
   *
   * @param source the input image
   * @param destination the output path; replaced atomically when complete
   * @param target the output format
   * @param durability whether the output must be on stable storage before the rename
   * @param listener progress receiver
   * @param cancellation checked between chunks
   * @return the result
   * @throws ComputeImageException when the input is malformed or unsupported, or on I/O failure
   */
  default ConversionResult convert(
      Path source,
      Path destination,
      DiskFormat target,
      Durability durability,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    return convert(source, destination, target, listener, cancellation);
  }
}
