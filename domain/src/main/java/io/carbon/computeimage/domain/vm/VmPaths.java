package io.carbon.computeimage.domain.vm;

import io.carbon.computeimage.ports.model.DiskFormat;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The on-disk paths of a VM image.
 *
 * <p>{@code <root>/<registry>/<name>/<version>/<arch>/disk.img} ({@code disk.vhd} on Windows), the
 * kernel files beside it when extracted, and the cached download {@code
 * <root>/cache/<name>-<version>-<arch>.qcow2}.
 *
 * @since 0.1
 */
public final class VmPaths {
  /** File name of the kernel in the image directory. */
  public static final String KERNEL = "vmlinuz";
  /** File name of the initrd in the image directory. */
  public static final String INITRD = "initrd";
  /** File name of the kernel command line in the image directory. */
  public static final String CMDLINE = "cmdline";

  private final Path dir;
  private final Path disk;
  private final DiskFormat diskFormat;
  private final Path cache;
  private final boolean kernelFiles;

  /**
   * Creates the paths.
   *
   * @param dir the image directory
   * @param disk the disk file inside {@code dir}
   * @param diskFormat the disk's format ({@code RAW} or {@code VHD_FIXED})
   * @param cache the cached qcow2 download
   * @param kernelFiles whether kernel, initrd and cmdline paths are part of the image
   */
  public VmPaths(Path dir, Path disk, DiskFormat diskFormat, Path cache, boolean kernelFiles) {
    this.dir = Objects.requireNonNull(dir, "dir is null");
    this.disk = Objects.requireNonNull(disk, "disk is null");
    this.diskFormat = Objects.requireNonNull(diskFormat, "diskFormat is null");
    this.cache = Objects.requireNonNull(cache, "cache is null");
    this.kernelFiles = kernelFiles;
  }

  /** @return the image directory {@code <root>/<registry>/<name>/<version>/<arch>} */
  public Path dir() {
    return dir;
  }

  /** @return {@code disk.img} (raw, Linux) or {@code disk.vhd} (fixed VHD, Windows) */
  public Path disk() {
    return disk;
  }

  /** @return the disk's format */
  public DiskFormat diskFormat() {
    return diskFormat;
  }

  /** @return the cached qcow2 {@code <root>/cache/<name>-<version>-<arch>.qcow2} */
  public Path cache() {
    return cache;
  }

  /** @return the cache directory {@code <root>/cache} */
  public Path cacheDir() {
    return cache.getParent();
  }

  /** @return {@code vmlinuz} beside the disk, when kernel extraction is part of the image */
  public Optional<Path> kernel() {
    return kernelFiles ? Optional.of(dir.resolve(KERNEL)) : Optional.empty();
  }

  /** @return {@code initrd} beside the disk, when kernel extraction is part of the image */
  public Optional<Path> initrd() {
    return kernelFiles ? Optional.of(dir.resolve(INITRD)) : Optional.empty();
  }

  /** @return {@code cmdline} beside the disk, when kernel extraction is part of the image */
  public Optional<Path> cmdline() {
    return kernelFiles ? Optional.of(dir.resolve(CMDLINE)) : Optional.empty();
  }

  /**
   * Returns a copy with or without the kernel paths.
   *
   * @param withKernel whether kernel files are part of the image
   * @return the copy
   */
  public VmPaths withKernelFiles(boolean withKernel) {
    return new VmPaths(dir, disk, diskFormat, cache, withKernel);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmPaths
        && ((VmPaths) o).dir.equals(dir)
        && ((VmPaths) o).disk.equals(disk)
        && ((VmPaths) o).diskFormat == diskFormat
        && ((VmPaths) o).cache.equals(cache)
        && ((VmPaths) o).kernelFiles == kernelFiles;
  }

  @Override
  public int hashCode() {
    return Objects.hash(dir, disk, diskFormat, cache, kernelFiles);
  }

  @Override
  public String toString() {
    return "VmPaths[dir=" + dir + ", disk=" + disk + ", cache=" + cache + "]";
  }
}
