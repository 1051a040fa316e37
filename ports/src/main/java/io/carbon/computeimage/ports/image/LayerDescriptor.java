package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.store.LayerCompression;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One layer of an image manifest.
 *
 * @param mediaType the media type as the manifest gives it
 * @param digest the digest of the (compressed) blob
 * @param size the blob size in bytes
 * @param compression the compression the media type implies
 * @param urls for foreign (non-distributable) layers, where the blob may be fetched from instead
 *     of the registry (without credentials); empty otherwise
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md">OCI
 *     descriptors</a>
 * @since 0.1
 */
public record LayerDescriptor(
    String mediaType, Digest digest, long size, LayerCompression compression, List<URI> urls) {
  /** Validates and copies the components. */
  public LayerDescriptor {
    Objects.requireNonNull(mediaType, "mediaType is null");
    Objects.requireNonNull(digest, "digest is null");
    Objects.requireNonNull(compression, "compression is null");
    urls = List.copyOf(urls);
    if (size < 0) {
      throw new IllegalArgumentException("negative layer size: " + size);
    }
  }

  /** @return true when the layer carries foreign URLs */
  public boolean isForeign() {
    return !urls.isEmpty();
  }
}
