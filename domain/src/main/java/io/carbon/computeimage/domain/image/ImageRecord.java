package io.carbon.computeimage.domain.image;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a completed pull wrote into an image directory; its presence means the image is ready.
 *
 * <p>Stored by {@link ImageRecordStore} as {@value ImageRecordStore#FILE_NAME} (Java properties
 * format, UTF-8) and written last, atomically, so an interrupted pull is never reported as ready.
 * VM and container pulls write the same format; kind-specific facts go into {@code attributes}.
 *
 * @param kind {@code vm} or {@code container}
 * @param reference the normalized reference, for example {@code ubuntu:24.04}
 * @param platform the architecture or platform, for example {@code amd64}
 * @param registry the registry path segment the image is stored under
 * @param pulledAt when the pull completed
 * @param attributes kind-specific facts (source URL and digest, disk file and format, sizes, ...)
 * @since 0.1
 */
public record ImageRecord(
    String kind,
    String reference,
    String platform,
    String registry,
    Instant pulledAt,
    Map<String, String> attributes) {
  /** Kind of VM images. */
  public static final String KIND_VM = "vm";
  /** Kind of container images. */
  public static final String KIND_CONTAINER = "container";

  /** Validates and copies the components. */
  public ImageRecord {
    Objects.requireNonNull(kind, "kind is null");
    Objects.requireNonNull(reference, "reference is null");
    Objects.requireNonNull(platform, "platform is null");
    Objects.requireNonNull(registry, "registry is null");
    Objects.requireNonNull(pulledAt, "pulledAt is null");
    attributes = Map.copyOf(new TreeMap<>(Objects.requireNonNull(attributes, "attributes is null")));
  }

  /**
   * Returns an attribute.
   *
   * @param key the key
   * @return the value, or empty
   */
  public Optional<String> attribute(String key) {
    return Optional.ofNullable(attributes.get(key));
  }

  /**
   * Returns a numeric attribute.
   *
   * @param key the key
   * @return the value, or -1 when absent or not a number
   */
  public long longAttribute(String key) {
    try {
      return Long.parseLong(attributes.getOrDefault(key, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
