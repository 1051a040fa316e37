package io.carbon.computeimage.adapter.convert.partition;

import java.util.Locale;

/**
 * One partition of a disk (or the whole disk when it has no partition table).
 *
 * @param number the partition number as Linux names it (1-based; 0 for a bare filesystem)
 * @param startByte the first byte on the disk
 * @param sizeBytes the length in bytes
 * @param typeGuid the GPT type GUID in lower case, or "" for MBR and bare disks
 * @param mbrType the MBR type byte, or -1 for GPT and bare disks
 * @param name the GPT partition name, or ""
 * @param uniqueGuid the GPT unique partition GUID (PARTUUID) in lower case, or ""
 * @since 0.1
 */
public record Partition(
    int number,
    long startByte,
    long sizeBytes,
    String typeGuid,
    int mbrType,
    String name,
    String uniqueGuid) {

  /** GPT type of an EFI system partition. */
  public static final String TYPE_ESP = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
  /** GPT type of an extended boot loader partition (XBOOTLDR, a separate /boot). */
  public static final String TYPE_XBOOTLDR = "bc13c2ff-59e6-4262-a352-b275fd6f7172";
  /** GPT type of a BIOS boot partition. */
  public static final String TYPE_BIOS_BOOT = "21686148-6449-6e6f-744e-656564454649";
  /** GPT type of a discoverable x86-64 root partition. */
  public static final String TYPE_ROOT_X86_64 = "4f68bce3-e8cd-4db1-96e7-fbcaf984b709";
  /** GPT type of a discoverable arm64 root partition. */
  public static final String TYPE_ROOT_ARM64 = "b921b045-1df0-41c3-af44-4c6f280d3fae";
  /** GPT type of LVM physical volumes. */
  public static final String TYPE_LVM = "e6d6d379-f507-44c2-a23c-238f2a3df928";

  /** Normalizes the GUID strings. */
  public Partition {
    typeGuid = typeGuid.toLowerCase(Locale.ROOT);
    uniqueGuid = uniqueGuid.toLowerCase(Locale.ROOT);
  }

  /** @return true for an XBOOTLDR partition */
  public boolean isXbootldr() {
    return TYPE_XBOOTLDR.equals(typeGuid) || mbrType == 0xEA;
  }

  /** @return true for an ESP (GPT type or MBR type 0xEF) */
  public boolean isEsp() {
    return TYPE_ESP.equals(typeGuid) || mbrType == 0xEF;
  }

  /** @return true for a GPT discoverable root partition */
  public boolean isDiscoverableRoot() {
    return TYPE_ROOT_X86_64.equals(typeGuid) || TYPE_ROOT_ARM64.equals(typeGuid);
  }

  /** @return true for a BIOS boot partition, which never holds a filesystem */
  public boolean isBiosBoot() {
    return TYPE_BIOS_BOOT.equals(typeGuid);
  }

  /** @return a short description for messages, for example {@code p16 (xbootldr, 1073741824 bytes)} */
  public String describe() {
    String kind;
    if (number == 0) {
      kind = "whole disk";
    } else if (isEsp()) {
      kind = "esp";
    } else if (isXbootldr()) {
      kind = "xbootldr";
    } else if (isBiosBoot()) {
      kind = "bios-boot";
    } else if (isDiscoverableRoot()) {
      kind = "root";
    } else if (mbrType >= 0) {
      kind = String.format(Locale.ROOT, "mbr type 0x%02x", mbrType);
    } else {
      kind = "type " + typeGuid;
    }
    return (number == 0 ? "disk" : "p" + number) + " (" + kind + ", " + sizeBytes + " bytes)";
  }
}
