package io.carbon.computeimage.ports.transfer;

import java.nio.file.Path;

/**
 * Is told where each newly written range of a download's body is, so that a consumer can read
 * the body while it downloads (for example unpack a layer blob as it arrives) without the
 * download ever waiting for it.
 *
 * <p>The {@link Downloader} calls {@link #written} on its own thread after the range was written
 * (into the page cache, not necessarily synced), in body order. Ranges of one attempt follow each
 * other; a range that does not start where the previous one ended means the download went back
 * (it restarted from the start, or resumed from an earlier partial file), and bytes read before
 * may not be part of the final content. Nothing a tap read is verified until {@code download}
 * returns: only then is the whole body known to match the expected digest.
 *
 * <p>Implementations must return quickly, must not block and must not throw.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface DownloadTap {
  /** A tap that ignores everything. */
  DownloadTap NONE = (file, offset, length) -> {};

  /**
   * Bytes {@code [offset, offset + length)} of the body are now in {@code file}.
   *
   * @param file the (partial) file holding the body so far; it may be renamed, truncated or
   *     deleted once this call returns, so a reader opens it during the call (an open file keeps
   *     reading the same content across a rename)
   * @param offset the position of the first new byte in the body
   * @param length how many bytes were written, at least 1
   */
  void written(Path file, long offset, long length);
}
