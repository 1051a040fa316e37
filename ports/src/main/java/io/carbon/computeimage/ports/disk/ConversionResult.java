package io.carbon.computeimage.ports.disk;

import io.carbon.computeimage.ports.model.DiskFormat;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A finished conversion.
 *
 * @param file the complete output file
 * @param sourceFormat the format detected in the source
 * @param format the output format
 * @param virtualSize the guest-visible disk size in bytes (for a fixed VHD: rounded up to whole
 *     512-byte sectors, as readers of the VHD see it)
 * @param dataBytes bytes of data written (holes excluded; a fixed VHD has none, so its whole size)
 * @since 0.1
 */
public record ConversionResult(
    Path file, DiskFormat sourceFormat, DiskFormat format, long virtualSize, long dataBytes) {
  /** Validates the components. */
  public ConversionResult {
    Objects.requireNonNull(file, "file is null");
    Objects.requireNonNull(sourceFormat, "sourceFormat is null");
    Objects.requireNonNull(format, "format is null");
  }
}
