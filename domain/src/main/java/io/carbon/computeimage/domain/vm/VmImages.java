package io.carbon.computeimage.domain.vm;

import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.ImageStatus;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.ports.model.DiskFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads VM facts from an image record.
 *
 * @since 0.1
 */
public final class VmImages {
  /** Attribute: the disk file name in the image directory. */
  public static final String DISK_FILE = "diskFile";
  /** Attribute: the disk format ({@code RAW} or {@code VHD_FIXED}). */
  public static final String DISK_FORMAT = "diskFormat";
  /** Attribute: the absolute path of the cached qcow2. */
  public static final String CACHE = "cache";
  /** Attribute: the kernel file name, present when extracted. */
  public static final String KERNEL = "kernel";
  /** Attribute: the initrd file name, present when extracted. */
  public static final String INITRD = "initrd";
  /** Attribute: the command-line file name, present when extracted. */
  public static final String CMDLINE = "cmdline";
  /** Attribute: the kernel command line itself. */
  public static final String COMMAND_LINE = "commandLine";
  /** Attribute: the kernel version. */
  public static final String KERNEL_VERSION = "kernelVersion";
  /** Attribute: the digest the mirror published for the source qcow2. */
  public static final String SOURCE_DIGEST = "sourceDigest";
  /** Attribute: the URL of the source qcow2. */
  public static final String SOURCE_URL = "sourceUrl";
  /** Attribute: the checksum file URL. */
  public static final String CHECKSUM_URL = "checksumUrl";
  /** Attribute: the exact build the mirror served. */
  public static final String BUILD = "build";
  /** Attribute: the distro name. */
  public static final String DISTRO = "distro";
  /** Attribute: the canonical version. */
  public static final String VERSION = "version";
  /** Attribute: the guest-visible disk size in bytes. */
  public static final String VIRTUAL_SIZE = "virtualSize";
  /** Attribute: bytes of data in the disk (holes excluded). */
  public static final String DATA_BYTES = "dataBytes";

  private VmImages() {}

  /**
   * Returns a listed image with the size it takes on disk: for a ready VM image with a sparse
   * raw disk, the disk counts with its data bytes recorded at conversion (the blocks the file
   * system allocated; holes excluded) instead of its apparent size. The JDK cannot read a file's
   * allocated blocks, so the recorded figure is used while the disk is unchanged since the record
   * was written; a disk modified later (a VM wrote to it) counts with its apparent size, an upper
   * bound. Other images are returned as they are.
   *
   * @param image a listed image
   * @return the image with {@code sizeBytes} adjusted, or {@code image}
   */
  public static StoredImage withAllocatedSize(StoredImage image) {
    Optional<ImageRecord> record = image.record();
    if (image.status() != ImageStatus.READY
        || record.isEmpty()
        || !ImageRecord.KIND_VM.equals(record.get().kind())) {
      return image;
    }
    ImageRecord r = record.get();
    if (!r.attribute(DISK_FORMAT).orElse("").equals(DiskFormat.RAW.name())
        || r.attribute(DATA_BYTES).isEmpty()
        || r.attribute(DISK_FILE).isEmpty()) {
      return image;
    }
    Path disk = image.dir().resolve(r.attribute(DISK_FILE).get());
    Path recordFile = image.dir().resolve(ImageRecordStore.FILE_NAME);
    try {
      long dataBytes = Long.parseLong(r.attribute(DATA_BYTES).get());
      if (!Files.isRegularFile(disk, LinkOption.NOFOLLOW_LINKS)
          || Files.getLastModifiedTime(disk).compareTo(Files.getLastModifiedTime(recordFile)) > 0
          || dataBytes < 0) {
        return image;
      }
      long apparent = Files.size(disk);
      return image.withSizeBytes(image.sizeBytes() - apparent + Math.min(dataBytes, apparent));
    } catch (IOException | NumberFormatException e) {
      return image;
    }
  }

  /**
   * Returns the paths of a pulled VM image.
   *
   * @param image the image
   * @return its paths; kernel paths present when the kernel was extracted
   * @throws IllegalArgumentException when the image is not a VM image
   */
  public static VmPaths paths(PulledImage image) {
    ImageRecord r = image.record();
    if (!ImageRecord.KIND_VM.equals(r.kind())) {
      throw new IllegalArgumentException("not a VM image: " + image);
    }
    Path dir = image.dir();
    DiskFormat format = DiskFormat.valueOf(r.attribute(DISK_FORMAT).orElse(DiskFormat.RAW.name()));
    Path disk = dir.resolve(r.attribute(DISK_FILE).orElse("disk.img"));
    Path cache =
        r.attribute(CACHE)
            .map(Path::of)
            .orElseGet(() -> dir.resolve("cache"));
    return new VmPaths(dir, disk, format, cache, r.attribute(KERNEL).isPresent());
  }
}
