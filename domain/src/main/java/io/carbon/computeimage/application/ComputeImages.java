package io.carbon.computeimage.application;

import io.carbon.computeimage.domain.container.ContainerPaths;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.vm.VmPaths;
import io.carbon.computeimage.domain.vm.VmRef;
import io.carbon.computeimage.ports.error.ComputeImageException;
import java.nio.file.Path;

/**
 * Static shortcuts mirroring the seed's package functions, using a default {@link ComputeImage}
 * (platform root directory, plugins from the class path, no progress output).
 *
 * <pre>{@code
 * PulledImage img = ComputeImages.pull(VmRef.of("ubuntu:24.04", "amd64"));
 * System.out.println("Disk: " + ComputeImages.vmPathsFromImage(img).disk());
 * }</pre>
 *
 * @since 0.1
 */
public final class ComputeImages {
  private ComputeImages() {}

  private static ComputeImage defaults() throws ComputeImageException {
    return ComputeImage.builder().build();
  }

  /**
   * Pulls a VM image with the defaults; see {@link ComputeImage#pull(VmRef)}.
   *
   * @param ref the reference
   * @return the pulled image
   * @throws ComputeImageException when the pull fails
   */
  public static PulledImage pull(VmRef ref) throws ComputeImageException {
    return defaults().pull(ref);
  }

  /**
   * Returns the paths of a pulled VM image.
   *
   * @param image the image
   * @return its paths
   */
  public static VmPaths vmPathsFromImage(PulledImage image) {
    return ComputeImage.vmPathsFromImage(image);
  }

  /**
   * Computes the paths of a VM image without I/O.
   *
   * @param ref the reference
   * @return the paths
   * @throws ComputeImageException for an unknown distro or version
   */
  public static VmPaths resolveVmPaths(VmRef ref) throws ComputeImageException {
    return defaults().resolveVmPaths(ref);
  }

  /**
   * Deletes a VM image's directory, keeping the cache.
   *
   * @param ref the reference
   * @throws ComputeImageException when deleting fails
   */
  public static void remove(VmRef ref) throws ComputeImageException {
    defaults().remove(ref);
  }

  /**
   * Pulls a container image with the defaults; see {@link ComputeImage#pull(ContainerRef)}.
   *
   * @param ref the reference
   * @return the pulled image
   * @throws ComputeImageException when the pull fails
   */
  public static PulledImage pull(ContainerRef ref) throws ComputeImageException {
    return defaults().pull(ref);
  }

  /**
   * Returns the paths of a pulled container image.
   *
   * @param image the image
   * @return its paths
   */
  public static ContainerPaths containerPathsFromImage(PulledImage image) {
    return ComputeImage.containerPathsFromImage(image);
  }

  /**
   * Computes the paths of a container image without pulling.
   *
   * @param ref the reference
   * @return the paths
   * @throws ComputeImageException for an invalid reference
   */
  public static ContainerPaths resolveContainerPaths(ContainerRef ref)
      throws ComputeImageException {
    return defaults().resolveContainerPaths(ref);
  }

  /**
   * Deletes a container image's directory, keeping the cache.
   *
   * @param ref the reference
   * @throws ComputeImageException when deleting fails
   */
  public static void remove(ContainerRef ref) throws ComputeImageException {
    defaults().remove(ref);
  }

  /**
   * Deletes a whole root directory, images and cache.
   *
   * @param root the root directory
   * @throws ComputeImageException when deleting fails
   */
  public static void removeAll(Path root) throws ComputeImageException {
    defaults().removeAll(root);
  }

  /** @return {@code $HOME/.local/share/carbon} on Linux, {@code %LOCALAPPDATA%\carbon} on Windows */
  public static Path defaultRootDir() {
    return HostDetector.defaultRootDir();
  }

  /**
   * Formats a byte count in decimal units.
   *
   * @param bytes the count
   * @return for example {@code 1.4 GB} for 1_400_000_000
   */
  public static String humanBytes(long bytes) {
    return HumanBytes.format(bytes);
  }
}
