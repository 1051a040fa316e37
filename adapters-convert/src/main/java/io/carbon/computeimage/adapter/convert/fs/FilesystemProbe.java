package io.carbon.computeimage.adapter.convert.fs;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.fs.btrfs.BtrfsFilesystem;
import io.carbon.computeimage.adapter.convert.fs.ext4.Ext4Filesystem;
import io.carbon.computeimage.adapter.convert.fs.fat.FatFilesystem;
import io.carbon.computeimage.adapter.convert.fs.xfs.XfsFilesystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Recognizes a filesystem by its superblock magic and opens the matching reader.
 *
 * <p>Types: {@code ext4} (also ext2/ext3), {@code xfs}, {@code btrfs}, {@code vfat}, and {@code
 * LVM2_member} (recognized but not readable).
 */
public final class FilesystemProbe {
  private FilesystemProbe() {}

  /**
   * Detects the filesystem type on a device.
   *
   * @param dev a partition or a whole disk
   * @return the type ({@code ext4}, {@code xfs}, {@code btrfs}, {@code vfat}, {@code
   *     LVM2_member}) or "" when unknown
   * @throws IOException on I/O failure
   */
  public static String detect(BlockDevice dev) throws IOException {
    long size = dev.size();
    if (size >= 2048) {
      byte[] sb = dev.readFully(1024, 1024);
      if ((sb[56] & 0xFF) == 0x53 && (sb[57] & 0xFF) == 0xEF) {
        return "ext4";
      }
    }
    if (size >= 512) {
      byte[] s0 = dev.readFully(0, 512);
      if (ascii(s0, 0, 4).equals("XFSB")) {
        return "xfs";
      }
      if (FatFilesystem.looksLikeFat(s0)) {
        return "vfat";
      }
      if (size >= 1024 && ascii(dev.readFully(512, 8), 0, 8).equals("LABELONE")) {
        return "LVM2_member";
      }
    }
    if (size >= 65536 + 4096 && ascii(dev.readFully(65536 + 64, 8), 0, 8).equals("_BHRfS_M")) {
      return "btrfs";
    }
    return "";
  }

  /**
   * Opens the filesystem on a device.
   *
   * @param dev a partition or a whole disk
   * @return the filesystem, or empty when the type is unknown
   * @throws IOException on I/O failure, malformed structures, or a recognized type that cannot be
   *     read (LVM, or a reader not available)
   */
  public static Optional<Filesystem> open(BlockDevice dev) throws IOException {
    String type = detect(dev);
    switch (type) {
      case "ext4":
        return Optional.of(Ext4Filesystem.open(dev));
      case "vfat":
        return Optional.of(FatFilesystem.open(dev));
      case "xfs":
        return Optional.of(XfsFilesystem.open(dev));
      case "btrfs":
        return Optional.of(BtrfsFilesystem.open(dev));
      case "":
        return Optional.empty();
      default:
        return openOther(type, dev);
    }
  }

  private static Optional<Filesystem> openOther(String type, BlockDevice dev) throws IOException {
    throw new UnsupportedFilesystemIOException("filesystem type " + type + " is not supported");
  }

  private static String ascii(byte[] b, int off, int len) {
    return new String(b, off, len, StandardCharsets.ISO_8859_1);
  }
}
