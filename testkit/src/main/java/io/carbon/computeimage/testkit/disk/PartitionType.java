package io.carbon.computeimage.testkit.disk;

/**
 * Common partition types, with their GPT type GUID and MBR type byte.
 *
 * @param gptGuid the GPT partition type GUID
 * @param mbrType the MBR type as two hex digits
 * @since 0.1
 */
public record PartitionType(String gptGuid, String mbrType) {
  /** Linux filesystem data. */
  public static final PartitionType LINUX =
      new PartitionType("0FC63DAF-8483-4772-8E79-3D69D8477DE4", "83");
  /** EFI system partition. */
  public static final PartitionType EFI_SYSTEM =
      new PartitionType("C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "ef");
  /** BIOS boot partition (GRUB core image on GPT). */
  public static final PartitionType BIOS_BOOT =
      new PartitionType("21686148-6449-6E6F-744E-656564454649", "da");
  /** Linux root (x86-64), discoverable partitions specification. */
  public static final PartitionType LINUX_ROOT_X86_64 =
      new PartitionType("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "83");
  /** Linux root (arm64), discoverable partitions specification. */
  public static final PartitionType LINUX_ROOT_ARM64 =
      new PartitionType("B921B045-1DF0-41C3-AF44-4C6F280D3FAE", "83");
  /** Extended boot loader partition (XBOOTLDR, {@code /boot}). */
  public static final PartitionType XBOOTLDR =
      new PartitionType("BC13C2FF-59E6-4262-A352-B275FD6F7172", "ea");
  /** Microsoft basic data (FAT on MBR: type 0c, FAT32 LBA). */
  public static final PartitionType FAT32 =
      new PartitionType("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "0c");
}
