package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.transfer.DownloadRequest;

/**
 * A container registry client: resolves a reference to one platform's manifest and config, and
 * describes how each layer blob is downloaded (the caller hands that to a {@code Downloader}).
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>Every manifest fetched by digest, and the config blob, are checked against their digest;
 *       a mismatch gives {@code DigestMismatchException}.
 *   <li>Indexes (OCI image index, Docker manifest list) are resolved to the manifest of {@link
 *       ImageRequest#platform()}; attestation entries are skipped; no match gives {@code
 *       NotFoundException} listing the platforms the index has.
 *   <li>Docker schema 1 manifests are refused with {@code UnsupportedFeatureException}.
 *   <li>Credentials and tokens are the source's business; a refused login gives {@code
 *       UnauthorizedException} naming the registry.
 * </ul>
 *
 * Implementations must be thread-safe.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI
 *     distribution specification</a>
 * @since 0.1
 */
public interface ImageSource {
  /**
   * Resolves the request's reference to one platform's manifest and config.
   *
   * @param request the image, platform and transport options, must not be {@code null}
   * @param cancellation checked between requests
   * @return the verified manifest and config
   * @throws ComputeImageException {@code NotFoundException} for an unknown repository, tag or
   *     platform, {@code UnauthorizedException}, {@code UnsupportedFeatureException} for schema 1,
   *     {@code MalformedImageException}, {@code DigestMismatchException} or {@code
   *     TransferException}
   */
  ImageManifest resolve(ImageRequest request, Cancellation cancellation)
      throws ComputeImageException;

  /**
   * Describes how to download a layer blob: its URL, the headers to send (for example a bearer
   * token, valid for the registry's origin only), its digest and size. Foreign layers are
   * described by their own URL and carry no credentials.
   *
   * @param request the request the layer's manifest was resolved for
   * @param layer the layer
   * @return the download request
   * @throws ComputeImageException when credentials cannot be obtained
   */
  DownloadRequest blobDownload(ImageRequest request, LayerDescriptor layer)
      throws ComputeImageException;
}
