package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.model.Digest;
import java.util.List;
import java.util.Objects;

/**
 * An image resolved for one platform: its manifest and config (raw bytes, verified) and what they
 * say.
 *
 * @param image the image as requested
 * @param resolvedDigest the digest the reference resolved to (an index or a manifest)
 * @param manifestDigest the digest of the platform's manifest (equal to {@code resolvedDigest}
 *     when the reference named a single manifest)
 * @param manifestMediaType the manifest's media type
 * @param manifestBytes the manifest exactly as served (its digest is {@code manifestDigest})
 * @param configDigest the config blob's digest
 * @param configBytes the config blob exactly as served (its digest is {@code configDigest})
 * @param config what the config says
 * @param layers the layers, base first; as many as {@code config.diffIds()}
 * @since 0.1
 */
public record ImageManifest(
    RegistryImage image,
    Digest resolvedDigest,
    Digest manifestDigest,
    String manifestMediaType,
    byte[] manifestBytes,
    Digest configDigest,
    byte[] configBytes,
    ImageConfig config,
    List<LayerDescriptor> layers) {
  /** Validates and copies the components. */
  public ImageManifest {
    Objects.requireNonNull(image, "image is null");
    Objects.requireNonNull(resolvedDigest, "resolvedDigest is null");
    Objects.requireNonNull(manifestDigest, "manifestDigest is null");
    Objects.requireNonNull(manifestMediaType, "manifestMediaType is null");
    manifestBytes = Objects.requireNonNull(manifestBytes, "manifestBytes is null").clone();
    Objects.requireNonNull(configDigest, "configDigest is null");
    configBytes = Objects.requireNonNull(configBytes, "configBytes is null").clone();
    Objects.requireNonNull(config, "config is null");
    layers = List.copyOf(layers);
    if (layers.size() != config.diffIds().size()) {
      throw new IllegalArgumentException(
          "manifest of "
              + image
              + " lists "
              + layers.size()
              + " layers but its config lists "
              + config.diffIds().size()
              + " diff_ids");
    }
  }

  /** @return a copy of the manifest bytes */
  @Override
  public byte[] manifestBytes() {
    return manifestBytes.clone();
  }

  /** @return a copy of the config bytes */
  @Override
  public byte[] configBytes() {
    return configBytes.clone();
  }

  /** @return the sum of the layer blob sizes */
  public long totalLayerBytes() {
    return layers.stream().mapToLong(LayerDescriptor::size).sum();
  }
}
