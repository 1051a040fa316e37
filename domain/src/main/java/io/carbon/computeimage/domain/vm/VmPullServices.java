package io.carbon.computeimage.domain.vm;

import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.HttpTransport;

/**
 * The adapters a VM pull uses, created on first use (so a missing optional adapter fails only the
 * operation that needs it).
 *
 * @since 0.1
 */
public interface VmPullServices {
  /**
   * @return the transport for checksum files and indexes
   * @throws ComputeImageException when no transfer adapter is registered
   */
  HttpTransport http() throws ComputeImageException;

  /**
   * @return the downloader for disk images
   * @throws ComputeImageException when no transfer adapter is registered
   */
  Downloader downloader() throws ComputeImageException;

  /**
   * Returns a converter that reads qcow2 and writes {@code target}.
   *
   * @param target the output format
   * @return the converter
   * @throws ComputeImageException {@code UnsupportedFeatureException} when none is registered
   */
  DiskConverter converter(DiskFormat target) throws ComputeImageException;

  /**
   * @return the kernel extractor
   * @throws ComputeImageException {@code UnsupportedFeatureException} when none is registered
   */
  KernelExtractor kernelExtractor() throws ComputeImageException;
}
