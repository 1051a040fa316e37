package io.carbon.computeimage.ports.disk;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.spi.Capability;
import java.nio.file.Path;

/**
 * Finds the kernel, initrd and command line a disk image would boot, by reading its partitions and
 * filesystems (no mounting), and writes {@code vmlinuz}, {@code initrd} and {@code cmdline} into
 * an output directory, each atomically.
 *
 * <p>Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface KernelExtractor extends Capability {
  /**
   * Extracts the default boot files.
   *
   * @param disk a raw or qcow2 disk image
   * @param outputDir the directory to write into (normally the image directory)
   * @param options extraction options
   * @param listener progress receiver
   * @param cancellation checked between units of work
   * @return what was written
   * @throws ComputeImageException {@code NotFoundException} when no kernel is found (the message
   *     names the partitions and filesystems looked at), {@code MalformedImageException} for
   *     malformed structures, or an I/O failure
   */
  BootFiles extract(
      Path disk,
      Path outputDir,
      KernelOptions options,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException;
}
