package io.carbon.computeimage.ports.transfer;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.nio.file.Path;

/**
 * Downloads a file to a destination, verified while streaming, resumable, and safe across
 * processes.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>When {@code destination} exists and is recorded as verified with the request's digest, it
 *       is reused and nothing is fetched.
 *   <li>Otherwise bytes go to a stable partial file beside the destination; an interrupted download
 *       resumes from it with {@code Range}/{@code If-Range}. The destination appears only by an
 *       atomic rename after the digest matched.
 *   <li>On a digest mismatch the partial file is removed and {@code DigestMismatchException} names
 *       the URL, the expected and the actual digest.
 *   <li>A cross-process lock per destination: two processes downloading the same file do one
 *       download and both succeed.
 * </ul>
 *
 * Implementations must be thread-safe.
 *
 * @since 0.1
 */
public interface Downloader {
  /**
   * Downloads and verifies.
   *
   * @param request what to fetch and the digest it must have
   * @param destination the final path; its parent directory is created when missing
   * @param listener progress receiver, task id is the destination's file name
   * @param cancellation checked between chunks
   * @return the completed download
   * @throws ComputeImageException on network failure after retries, digest mismatch, local I/O
   *     failure or cancellation
   */
  DownloadResult download(
      DownloadRequest request,
      Path destination,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException;

  /**
   * Downloads and verifies, telling {@code tap} where the body's bytes are as they are written,
   * so that a consumer can start on them before the download is complete and verified.
   *
   * <p>Same contract as {@link #download(DownloadRequest, Path, ProgressListener, Cancellation)}.
   * The tap sees nothing when the destination is reused, or when the implementation does not
   * support taps (the default, which ignores {@code tap}); the consumer then reads the returned
   * file.
   *
   * @param request what to fetch and the digest it must have
   * @param destination the final path; its parent directory is created when missing
   * @param listener progress receiver, task id is the destination's file name
   * @param cancellation checked between chunks
   * @param tap told about each written range on the downloading thread, must not be {@code null}
   * @return the completed download
   * @throws ComputeImageException as for the other {@code download}
   * @since 0.1
   */
  default DownloadResult download(
      DownloadRequest request,
      Path destination,
      ProgressListener listener,
      Cancellation cancellation,
      DownloadTap tap)
      throws ComputeImageException {
    return download(request, destination, listener, cancellation);
  }
}
