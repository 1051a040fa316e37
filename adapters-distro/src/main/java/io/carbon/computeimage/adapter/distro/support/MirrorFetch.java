package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** Fetches small text files (checksum files, listings) from a mirror. */
public final class MirrorFetch {
  /** Checksum files and listings are small; anything bigger is not what we asked for. */
  static final long MAX_BODY = 8L << 20;

  private MirrorFetch() {}

  /**
   * Fetches a text file; a 404 or 410 means "not published" and gives an empty result.
   *
   * @param http the transport
   * @param uri the file
   * @return the body, or empty when the mirror does not have the file
   * @throws ComputeImageException a {@link TransferException} naming the URL for any other non-2xx
   *     status, or the transport's own failure
   */
  public static Optional<String> textIfPresent(HttpTransport http, URI uri)
      throws ComputeImageException {
    HttpResult r = http.send(new HttpRequest("GET", uri, Map.of(), MAX_BODY));
    if (r.isSuccess()) {
      return Optional.of(r.bodyText());
    }
    if (r.status() == 404 || r.status() == 410) {
      return Optional.empty();
    }
    throw new TransferException("GET " + uri + " failed: HTTP " + r.status());
  }

  /**
   * Fetches a text file that may legitimately be missing or unreadable (a directory listing): any
   * non-2xx status gives an empty result.
   *
   * @param http the transport
   * @param uri the file or directory
   * @return the body, or empty when the mirror does not serve it
   * @throws ComputeImageException the transport's own failure (retries exhausted, cancelled)
   */
  public static Optional<String> optionalText(HttpTransport http, URI uri)
      throws ComputeImageException {
    HttpResult r = http.send(new HttpRequest("GET", uri, Map.of(), MAX_BODY));
    return r.isSuccess() ? Optional.of(r.bodyText()) : Optional.empty();
  }
}
