package io.carbon.computeimage.domain.container;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to pull: an OCI image reference plus optional root directory and platform.
 *
 * <p>Example: {@code ContainerRef.of("ubuntu:24.04").withPlatform("linux/arm64")}.
 *
 * @since 0.1
 */
public final class ContainerRef {
  private final String image;
  private final Path dir;
  private final String platform;
  private final boolean insecure;

  private ContainerRef(String image, Path dir, String platform, boolean insecure) {
    this.image = Objects.requireNonNull(image, "image is null");
    this.dir = dir;
    this.platform = platform;
    this.insecure = insecure;
  }

  /**
   * A reference to pull into the default root for the host's platform.
   *
   * @param image an OCI image reference, for example {@code ubuntu:24.04}
   * @return the ref
   */
  public static ContainerRef of(String image) {
    return new ContainerRef(image, null, null, false);
  }

  /**
   * Returns a copy with a root directory.
   *
   * @param rootDir the root directory for image data
   * @return the copy
   */
  public ContainerRef withDir(Path rootDir) {
    return new ContainerRef(image, Objects.requireNonNull(rootDir, "rootDir is null"), platform, insecure);
  }

  /**
   * Returns a copy with a platform.
   *
   * @param osArchVariant for example {@code linux/arm64} or {@code linux/arm/v6}
   * @return the copy
   */
  public ContainerRef withPlatform(String osArchVariant) {
    return new ContainerRef(
        image, dir, Objects.requireNonNull(osArchVariant, "platform is null"), insecure);
  }

  /**
   * Returns a copy that may use plain HTTP to a registry that is not loopback.
   *
   * @param allowPlainHttp true to allow plain HTTP
   * @return the copy
   */
  public ContainerRef withInsecure(boolean allowPlainHttp) {
    return new ContainerRef(image, dir, platform, allowPlainHttp);
  }

  /** @return the image reference as given */
  public String image() {
    return image;
  }

  /** @return the root directory, or empty for the platform default */
  public Optional<Path> dir() {
    return Optional.ofNullable(dir);
  }

  /** @return the platform as given, or empty for the host's */
  public Optional<String> platform() {
    return Optional.ofNullable(platform);
  }

  /** @return true when plain HTTP is allowed for a non-loopback registry */
  public boolean insecure() {
    return insecure;
  }

  @Override
  public String toString() {
    return image + (platform != null ? " (" + platform + ")" : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContainerRef r
        && image.equals(r.image)
        && Objects.equals(dir, r.dir)
        && Objects.equals(platform, r.platform)
        && insecure == r.insecure;
  }

  @Override
  public int hashCode() {
    return Objects.hash(image, dir, platform, insecure);
  }
}
