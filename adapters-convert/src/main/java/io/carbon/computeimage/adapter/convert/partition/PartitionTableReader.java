package io.carbon.computeimage.adapter.convert.partition;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.FilesystemProbe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Reads the partition table of a disk: GPT (512- and 4096-byte sectors; the header and entry CRCs
 * are checked and the backup header at the end of the disk is used when the primary is damaged),
 * MBR with an extended partition's chain of logical partitions, or none (a bare filesystem).
 *
 * <p>All values read are bounds-checked; damaged tables give {@link MalformedDiskIOException}.
 */
public final class PartitionTableReader {
  private static final int MAX_GPT_ENTRIES = 1024;
  private static final int MAX_LOGICAL = 128;
  private static final int[] SECTOR_SIZES = {512, 4096};

  private PartitionTableReader() {}

  /**
   * Reads the partition table.
   *
   * @param disk the whole disk
   * @return the table; a disk with no recognizable table but a filesystem at offset 0 is {@link
   *     PartitionScheme#NONE} with one partition numbered 0
   * @throws IOException on I/O failure, or a damaged table (both GPT headers bad, a broken MBR)
   */
  public static PartitionTable read(BlockDevice disk) throws IOException {
    List<String> notes = new ArrayList<>();
    MalformedDiskIOException gptError = null;
    for (int sector : SECTOR_SIZES) {
      if (disk.size() < 3L * sector) {
        continue;
      }
      try {
        List<Partition> parts = readGpt(disk, sector, notes);
        if (parts != null) {
          return new PartitionTable(PartitionScheme.GPT, parts, notes);
        }
      } catch (MalformedDiskIOException e) {
        gptError = e;
      }
    }
    if (!FilesystemProbe.detect(disk).isEmpty()) {
      return new PartitionTable(
          PartitionScheme.NONE, List.of(new Partition(0, 0, disk.size(), "", -1, "", "")), notes);
    }
    if (disk.size() >= 512) {
      byte[] mbr = disk.readFully(0, 512);
      if ((mbr[510] & 0xFF) == 0x55 && (mbr[511] & 0xFF) == 0xAA) {
        List<Partition> parts = readMbr(disk, mbr);
        boolean protectiveOnly = parts.size() == 1 && parts.get(0).mbrType() == 0xEE;
        if (protectiveOnly && gptError != null) {
          throw gptError;
        }
        if (!parts.isEmpty() && !protectiveOnly) {
          return new PartitionTable(PartitionScheme.MBR, parts, notes);
        }
      }
    }
    if (gptError != null) {
      throw gptError;
    }
    return new PartitionTable(
        PartitionScheme.NONE, List.of(new Partition(0, 0, disk.size(), "", -1, "", "")), notes);
  }

  // ---------------------------------------------------------------- GPT

  /** Returns null when there is no GPT signature at all for this sector size. */
  private static List<Partition> readGpt(BlockDevice disk, int sector, List<String> notes)
      throws IOException {
    long lastLba = disk.size() / sector - 1;
    byte[] primary = disk.readFully(sector, sector);
    boolean primarySig = isGptSignature(primary);
    String primaryProblem = null;
    if (primarySig) {
      try {
        return parseGpt(disk, sector, primary, 1);
      } catch (MalformedDiskIOException e) {
        primaryProblem = e.getMessage();
      }
    }
    // The backup header: where the primary says, else the last LBA.
    List<Long> backupLbas = new ArrayList<>();
    if (primarySig) {
      long alt = le64(primary, 32);
      if (alt > 1 && alt <= lastLba) {
        backupLbas.add(alt);
      }
    }
    if (!backupLbas.contains(lastLba)) {
      backupLbas.add(lastLba);
    }
    for (long lba : backupLbas) {
      byte[] backup = disk.readFully(lba * sector, sector);
      if (!isGptSignature(backup)) {
        continue;
      }
      try {
        List<Partition> parts = parseGpt(disk, sector, backup, lba);
        notes.add(
            "the primary GPT header is damaged ("
                + (primaryProblem == null ? "missing" : primaryProblem)
                + "); used the backup header at LBA "
                + lba);
        return parts;
      } catch (MalformedDiskIOException e) {
        if (primaryProblem == null) {
          primaryProblem = e.getMessage();
        }
        throw new MalformedDiskIOException(
            "both GPT headers are damaged: primary: "
                + primaryProblem
                + "; backup at LBA "
                + lba
                + ": "
                + e.getMessage());
      }
    }
    if (primarySig) {
      throw new MalformedDiskIOException(
          "the GPT header is damaged (" + primaryProblem + ") and no valid backup header exists");
    }
    return null;
  }

  private static boolean isGptSignature(byte[] header) {
    return new String(header, 0, 8, StandardCharsets.ISO_8859_1).equals("EFI PART");
  }

  private static List<Partition> parseGpt(BlockDevice disk, int sector, byte[] h, long myLba)
      throws IOException {
    long headerSize = le32(h, 12);
    if (headerSize < 92 || headerSize > sector) {
      throw new MalformedDiskIOException("GPT header size " + headerSize + " is out of range");
    }
    long storedCrc = le32(h, 16);
    byte[] copy = java.util.Arrays.copyOf(h, (int) headerSize);
    copy[16] = copy[17] = copy[18] = copy[19] = 0;
    if (crc32(copy, 0, copy.length) != storedCrc) {
      throw new MalformedDiskIOException("GPT header CRC32 mismatch at LBA " + myLba);
    }
    long lastLba = disk.size() / sector - 1;
    long firstUsable = le64(h, 40);
    long lastUsable = le64(h, 48);
    long entriesLba = le64(h, 72);
    long count = le32(h, 80);
    long entrySize = le32(h, 84);
    long entriesCrc = le32(h, 88);
    if (entrySize < 128 || entrySize > 4096 || entrySize % 8 != 0) {
      throw new MalformedDiskIOException("GPT entry size " + entrySize + " is out of range");
    }
    if (count > MAX_GPT_ENTRIES) {
      throw new MalformedDiskIOException("GPT claims " + count + " entries (at most "
          + MAX_GPT_ENTRIES + " are supported)");
    }
    long tableBytes = count * entrySize;
    if (entriesLba < 1 || entriesLba > lastLba
        || entriesLba * sector > disk.size() - tableBytes) {
      throw new MalformedDiskIOException("GPT entry array at LBA " + entriesLba
          + " lies outside the disk");
    }
    byte[] table = disk.readFully(entriesLba * sector, (int) tableBytes);
    if (crc32(table, 0, table.length) != entriesCrc) {
      throw new MalformedDiskIOException("GPT entry array CRC32 mismatch (header at LBA "
          + myLba + ")");
    }
    List<Partition> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int off = (int) (i * entrySize);
      String type = guid(table, off);
      if (type.equals("00000000-0000-0000-0000-000000000000")) {
        continue;
      }
      long first = le64(table, off + 32);
      long last = le64(table, off + 40);
      if (first < 0 || last < first || last > lastLba || first > lastLba) {
        throw new MalformedDiskIOException(
            "GPT partition " + (i + 1) + " spans LBA " + first + ".." + last
                + " outside the disk (last LBA " + lastLba + ")");
      }
      if (first < firstUsable || last > lastUsable) {
        // tolerated: some tools write slightly inconsistent usable ranges
      }
      String name = utf16(table, off + 56, (int) Math.min(72, entrySize - 56));
      parts.add(new Partition(i + 1, first * sector, (last - first + 1) * sector, type, -1, name,
          guid(table, off + 16)));
    }
    return parts;
  }

  // ---------------------------------------------------------------- MBR

  private static List<Partition> readMbr(BlockDevice disk, byte[] mbr) throws IOException {
    long sectors = disk.size() / 512;
    List<Partition> parts = new ArrayList<>();
    long extendedStart = -1;
    long extendedLength = 0;
    for (int i = 0; i < 4; i++) {
      int off = 446 + 16 * i;
      int status = mbr[off] & 0xFF;
      int type = mbr[off + 4] & 0xFF;
      long start = le32(mbr, off + 8);
      long count = le32(mbr, off + 12);
      if (type == 0) {
        continue;
      }
      if (status != 0 && status != 0x80) {
        return List.of(); // not a partition table (a boot sector of something else)
      }
      if (type == 0xEE) {
        parts.add(new Partition(i + 1, start * 512, Math.min(count, sectors - Math.min(start, sectors)) * 512, "", type, "", ""));
        continue;
      }
      if (start == 0 || count == 0 || start >= sectors || count > sectors - start) {
        throw new MalformedDiskIOException(String.format(Locale.ROOT,
            "MBR partition %d (type 0x%02x) spans sectors %d+%d outside the disk (%d sectors)",
            i + 1, type, start, count, sectors));
      }
      if (isExtended(type)) {
        if (extendedStart >= 0) {
          throw new MalformedDiskIOException("MBR has more than one extended partition");
        }
        extendedStart = start;
        extendedLength = count;
        continue;
      }
      parts.add(new Partition(i + 1, start * 512, count * 512, "", type, "", ""));
    }
    if (extendedStart >= 0) {
      readLogical(disk, extendedStart, extendedLength, parts);
    }
    parts.sort(Comparator.comparingInt(Partition::number));
    return parts;
  }

  private static void readLogical(BlockDevice disk, long extStart, long extLength,
      List<Partition> parts) throws IOException {
    Set<Long> seen = new HashSet<>();
    long ebr = extStart;
    int number = 5;
    while (true) {
      if (!seen.add(ebr)) {
        throw new MalformedDiskIOException("the MBR chain of logical partitions loops at sector "
            + ebr);
      }
      if (number - 5 >= MAX_LOGICAL) {
        throw new MalformedDiskIOException("more than " + MAX_LOGICAL + " logical partitions");
      }
      byte[] b = disk.readFully(ebr * 512, 512);
      if ((b[510] & 0xFF) != 0x55 || (b[511] & 0xFF) != 0xAA) {
        throw new MalformedDiskIOException("extended boot record at sector " + ebr
            + " has no 55AA signature");
      }
      int type = b[446 + 4] & 0xFF;
      long rel = le32(b, 446 + 8);
      long count = le32(b, 446 + 12);
      if (type != 0 && count != 0) {
        long start = ebr + rel;
        if (rel == 0 || start + count > extStart + extLength) {
          throw new MalformedDiskIOException("logical partition " + number + " at sector " + start
              + " (+" + count + ") lies outside its extended partition");
        }
        parts.add(new Partition(number, start * 512, count * 512, "", type, "", ""));
        number++;
      }
      int nextType = b[446 + 16 + 4] & 0xFF;
      long nextRel = le32(b, 446 + 16 + 8);
      if (nextType == 0 || nextRel == 0) {
        return;
      }
      if (!isExtended(nextType) || nextRel >= extLength) {
        throw new MalformedDiskIOException("extended boot record at sector " + ebr
            + " links to sector " + (extStart + nextRel) + " outside the extended partition");
      }
      ebr = extStart + nextRel;
    }
  }

  private static boolean isExtended(int type) {
    return type == 0x05 || type == 0x0F || type == 0x85;
  }

  // ---------------------------------------------------------------- helpers

  static long crc32(byte[] b, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, off, len);
    return crc.getValue();
  }

  private static long le32(byte[] b, int off) {
    return ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
  }

  private static long le64(byte[] b, int off) {
    return ByteBuffer.wrap(b, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** Formats a mixed-endian GPT GUID. */
  static String guid(byte[] b, int off) {
    ByteBuffer bb = ByteBuffer.wrap(b, off, 16).order(ByteOrder.LITTLE_ENDIAN);
    int d1 = bb.getInt();
    int d2 = bb.getShort() & 0xFFFF;
    int d3 = bb.getShort() & 0xFFFF;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%08x-%04x-%04x-", d1, d2, d3));
    for (int i = 8; i < 16; i++) {
      if (i == 10) {
        sb.append('-');
      }
      sb.append(String.format(Locale.ROOT, "%02x", b[off + i] & 0xFF));
    }
    return sb.toString();
  }

  private static String utf16(byte[] b, int off, int len) {
    String s = new String(b, off, Math.max(0, len), StandardCharsets.UTF_16LE);
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }
}
