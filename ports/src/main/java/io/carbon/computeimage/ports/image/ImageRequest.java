package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.model.Platform;
import java.util.Objects;

/**
 * What to resolve: an image, the platform wanted from a multi-platform index, and whether plain
 * HTTP may be used for a registry that is not loopback.
 *
 * @param image the image
 * @param platform the wanted platform; an empty variant means the architecture's default
 * @param insecure true to talk plain HTTP to {@link RegistryImage#apiHost()} even when it is not a
 *     loopback address (loopback registries always use plain HTTP, as Docker allows)
 * @since 0.1
 */
public record ImageRequest(RegistryImage image, Platform platform, boolean insecure) {
  /** Validates the components. */
  public ImageRequest {
    Objects.requireNonNull(image, "image is null");
    Objects.requireNonNull(platform, "platform is null");
  }
}
