package io.carbon.computeimage.adapter.oci.manifest;

import io.carbon.computeimage.ports.store.LayerCompression;
import java.util.Optional;

/**
 * The media types of manifests, indexes, configs and layers this client understands.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/media-types.md">OCI media
 *     types</a>
 */
public final class MediaTypes {
  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  /** Docker manifest list. */
  public static final String DOCKER_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";

  /** Docker image manifest, schema 2. */
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /** Docker schema 1 (refused). */
  public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";

  /** Docker signed schema 1 (refused). */
  public static final String DOCKER_SCHEMA1_SIGNED =
      "application/vnd.docker.distribution.manifest.v1+prettyjws";

  /** OCI image config. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";

  /** Docker image config. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";

  /** The Accept header value for manifest requests, preferred first. */
  public static final String MANIFEST_ACCEPT =
      String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private MediaTypes() {}

  /** @return true for an index or a manifest list */
  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
  }

  /** @return true for a single-platform image manifest */
  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** @return true for Docker schema 1 */
  public static boolean isSchema1(String mediaType) {
    return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
  }

  /** @return true for a container image config */
  public static boolean isImageConfig(String mediaType) {
    return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
  }

  /**
   * Returns the compression of a layer media type.
   *
   * @param mediaType a layer media type
   * @return the compression, or empty when the type is not a supported layer (encrypted layers,
   *     artifacts)
   */
  public static Optional<LayerCompression> layerCompression(String mediaType) {
    if (mediaType == null) {
      return Optional.empty();
    }
    switch (mediaType) {
      case "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.oci.image.layer.nondistributable.v1.tar",
          "application/vnd.docker.image.rootfs.diff.tar",
          "application/vnd.docker.image.rootfs.foreign.diff.tar":
        return Optional.of(LayerCompression.NONE);
      case "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
          "application/vnd.docker.image.rootfs.diff.tar.gzip",
          "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip":
        return Optional.of(LayerCompression.GZIP);
      case "application/vnd.oci.image.layer.v1.tar+zstd",
          "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
          "application/vnd.docker.image.rootfs.diff.tar.zstd":
        return Optional.of(LayerCompression.ZSTD);
      default:
        return Optional.empty();
    }
  }
}
