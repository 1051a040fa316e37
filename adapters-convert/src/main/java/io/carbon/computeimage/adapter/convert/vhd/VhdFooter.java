package io.carbon.computeimage.adapter.convert.vhd;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The 512-byte footer of a fixed VHD, per Microsoft's Virtual Hard Disk Image Format
 * Specification: cookie {@code conectix}, features 2, version 1.0, data offset all ones (fixed
 * disk), timestamp in seconds since 2000-01-01 UTC, creator, original and current size, CHS
 * geometry per the specification's algorithm, disk type 2 (fixed), one's-complement checksum,
 * unique id, saved state 0.
 *
 * <p>The creator application is {@code "win "} (the value Hyper-V writes): readers such as QEMU
 * then take the disk size from the current-size field instead of the CHS geometry, which cannot
 * express every size.
 *
 * @since 0.1
 */
public final class VhdFooter {
  /** The footer size. */
  public static final int SIZE = 512;
  /** Disk type of a fixed VHD. */
  public static final int TYPE_FIXED = 2;
  private static final byte[] COOKIE = "conectix".getBytes(StandardCharsets.US_ASCII);
  private static final long EPOCH_2000 = 946_684_800L;
  private static final int CHECKSUM_OFFSET = 64;

  private VhdFooter() {}

  /**
   * The CHS geometry of the specification's algorithm.
   *
   * @param cylinders cylinders
   * @param heads heads
   * @param sectorsPerTrack sectors per track
   */
  public record Geometry(int cylinders, int heads, int sectorsPerTrack) {
    /** @return the 4-byte packed field value */
    int packed() {
      return cylinders << 16 | heads << 8 | sectorsPerTrack;
    }
  }

  /**
   * Computes the CHS geometry for a disk size (Appendix: CHS calculation).
   *
   * @param sizeBytes the disk size
   * @return the geometry
   */
  public static Geometry geometry(long sizeBytes) {
    long totalSectors = Math.min(sizeBytes / 512, 65535L * 16 * 255);
    int sectorsPerTrack;
    int heads;
    long cylinderTimesHeads;
    if (totalSectors >= 65535L * 16 * 63) {
      sectorsPerTrack = 255;
      heads = 16;
      cylinderTimesHeads = totalSectors / sectorsPerTrack;
    } else {
      sectorsPerTrack = 17;
      cylinderTimesHeads = totalSectors / sectorsPerTrack;
      heads = (int) ((cylinderTimesHeads + 1023) / 1024);
      if (heads < 4) {
        heads = 4;
      }
      if (cylinderTimesHeads >= heads * 1024L || heads > 16) {
        sectorsPerTrack = 31;
        heads = 16;
        cylinderTimesHeads = totalSectors / sectorsPerTrack;
      }
      if (cylinderTimesHeads >= heads * 1024L) {
        sectorsPerTrack = 63;
        heads = 16;
        cylinderTimesHeads = totalSectors / sectorsPerTrack;
      }
    }
    return new Geometry((int) (cylinderTimesHeads / heads), heads, sectorsPerTrack);
  }

  /**
   * Builds the footer of a fixed VHD.
   *
   * @param sizeBytes the data size (a multiple of 512)
   * @param now the creation time
   * @param uniqueId the unique id
   * @return the 512 footer bytes
   */
  public static byte[] fixed(long sizeBytes, Instant now, UUID uniqueId) {
    if (sizeBytes < 0 || sizeBytes % 512 != 0) {
      throw new IllegalArgumentException("VHD data size must be a multiple of 512: " + sizeBytes);
    }
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
    b.put(COOKIE);
    b.putInt(8, 0x00000002); // features: reserved bit always set
    b.putInt(12, 0x00010000); // file format version 1.0
    b.putLong(16, 0xFFFFFFFFFFFFFFFFL); // data offset: none for fixed disks
    b.putInt(24, (int) Math.max(0, now.getEpochSecond() - EPOCH_2000));
    b.put(28, "win ".getBytes(StandardCharsets.US_ASCII));
    b.putInt(32, 0x000a0000); // creator version 10.0
    b.put(36, "Wi2k".getBytes(StandardCharsets.US_ASCII)); // creator host OS
    b.putLong(40, sizeBytes); // original size
    b.putLong(48, sizeBytes); // current size
    b.putInt(56, geometry(sizeBytes).packed());
    b.putInt(60, TYPE_FIXED);
    b.putLong(68, uniqueId.getMostSignificantBits());
    b.putLong(76, uniqueId.getLeastSignificantBits());
    b.put(84, (byte) 0); // saved state
    byte[] out = b.array();
    ByteBuffer.wrap(out).putInt(CHECKSUM_OFFSET, checksum(out));
    return out;
  }

  /**
   * The one's complement of the sum of all footer bytes, the checksum field taken as zero.
   *
   * @param footer the 512 footer bytes
   * @return the checksum
   */
  public static int checksum(byte[] footer) {
    int sum = 0;
    for (int i = 0; i < SIZE; i++) {
      if (i < CHECKSUM_OFFSET || i >= CHECKSUM_OFFSET + 4) {
        sum += footer[i] & 0xff;
      }
    }
    return ~sum;
  }

  /**
   * Tells whether 512 bytes are a VHD footer with the cookie and a valid checksum.
   *
   * @param footer the bytes
   * @return true for a footer
   */
  public static boolean isFooter(byte[] footer) {
    if (footer.length != SIZE) {
      return false;
    }
    for (int i = 0; i < COOKIE.length; i++) {
      if (footer[i] != COOKIE[i]) {
        return false;
      }
    }
    return ByteBuffer.wrap(footer).getInt(CHECKSUM_OFFSET) == checksum(footer);
  }

  /**
   * Returns the disk type of a footer (2 fixed, 3 dynamic, 4 differencing).
   *
   * @param footer a footer accepted by {@link #isFooter}
   * @return the type
   */
  public static int diskType(byte[] footer) {
    return ByteBuffer.wrap(footer).getInt(60);
  }

  /**
   * Returns the current size of a footer.
   *
   * @param footer a footer accepted by {@link #isFooter}
   * @return the size in bytes
   */
  public static long currentSize(byte[] footer) {
    return ByteBuffer.wrap(footer).getLong(48);
  }
}
