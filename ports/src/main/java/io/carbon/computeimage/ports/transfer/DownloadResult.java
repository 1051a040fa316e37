package io.carbon.computeimage.ports.transfer;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A completed, verified download.
 *
 * @param file the final file, complete and verified
 * @param size its size in bytes
 * @param reused true when a verified file already in place was reused and nothing was fetched
 * @param resumedFrom the offset a partial file was resumed from, 0 when fetched from the start
 * @since 0.1
 */
public record DownloadResult(Path file, long size, boolean reused, long resumedFrom) {
  /** Validates the components. */
  public DownloadResult {
    Objects.requireNonNull(file, "file is null");
  }
}
