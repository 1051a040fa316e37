package io.carbon.computeimage.adapter.convert.fs.fat;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.DataRun;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import io.carbon.computeimage.adapter.convert.fs.RunsInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A read-only FAT12/16/32 filesystem with long file names. Lookups ignore case. */
public final class FatFilesystem implements Filesystem {
  private static final int MAX_DIR_ENTRIES = 65536 * 4;

  private final BlockDevice dev;
  private final int bytesPerSector;
  private final int clusterSize;
  private final long fatOffset;
  private final long rootDirOffset;
  private final int rootEntries;
  private final long dataOffset;
  private final long clusterCount;
  private final int fatBits;
  private final long rootCluster;
  private final String uuid;

  private FatFilesystem(BlockDevice dev, byte[] bs) throws IOException {
    this.dev = dev;
    if (!looksLikeFat(bs)) {
      throw new MalformedDiskIOException("no FAT boot sector");
    }
    ByteBuffer b = ByteBuffer.wrap(bs).order(ByteOrder.LITTLE_ENDIAN);
    bytesPerSector = b.getShort(11) & 0xFFFF;
    int secPerClus = bs[13] & 0xFF;
    int reserved = b.getShort(14) & 0xFFFF;
    int numFats = bs[16] & 0xFF;
    rootEntries = b.getShort(17) & 0xFFFF;
    long totSec = b.getShort(19) & 0xFFFF;
    if (totSec == 0) {
      totSec = b.getInt(32) & 0xFFFFFFFFL;
    }
    long fatSz = b.getShort(22) & 0xFFFF;
    if (fatSz == 0) {
      fatSz = b.getInt(36) & 0xFFFFFFFFL;
    }
    clusterSize = bytesPerSector * secPerClus;
    long rootDirSectors = ((long) rootEntries * 32 + bytesPerSector - 1) / bytesPerSector;
    long firstData = reserved + numFats * fatSz + rootDirSectors;
    if (fatSz == 0 || totSec <= firstData || totSec * bytesPerSector > dev.size() + bytesPerSector) {
      throw new MalformedDiskIOException("FAT geometry is inconsistent (" + totSec
          + " sectors, FAT of " + fatSz + " sectors, device of " + dev.size() + " bytes)");
    }
    clusterCount = (totSec - firstData) / secPerClus;
    fatBits = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
    fatOffset = (long) reserved * bytesPerSector;
    rootDirOffset = (reserved + numFats * fatSz) * bytesPerSector;
    dataOffset = firstData * bytesPerSector;
    if (fatSz * bytesPerSector * 8 < (clusterCount + 2) * fatBits) {
      throw new MalformedDiskIOException("FAT table too small for " + clusterCount + " clusters");
    }
    long volId;
    if (fatBits == 32) {
      rootCluster = b.getInt(44) & 0xFFFFFFFFL;
      if (rootCluster < 2 || rootCluster >= clusterCount + 2) {
        throw new MalformedDiskIOException("FAT32 root cluster " + rootCluster + " is out of range");
      }
      volId = b.getInt(67) & 0xFFFFFFFFL;
    } else {
      rootCluster = 0;
      volId = b.getInt(39) & 0xFFFFFFFFL;
    }
    uuid = String.format(Locale.ROOT, "%04X-%04X", volId >>> 16, volId & 0xFFFF);
  }

  /**
   * Tells whether a boot sector carries a plausible FAT BIOS parameter block.
   *
   * @param bs the first 512 bytes
   * @return true when it looks like FAT12/16/32
   */
  public static boolean looksLikeFat(byte[] bs) {
    if (bs.length < 512 || (bs[510] & 0xFF) != 0x55 || (bs[511] & 0xFF) != 0xAA) {
      return false;
    }
    ByteBuffer b = ByteBuffer.wrap(bs).order(ByteOrder.LITTLE_ENDIAN);
    int bps = b.getShort(11) & 0xFFFF;
    int spc = bs[13] & 0xFF;
    int reserved = b.getShort(14) & 0xFFFF;
    int fats = bs[16] & 0xFF;
    boolean geometry = (bps == 512 || bps == 1024 || bps == 2048 || bps == 4096)
        && spc != 0 && Integer.bitCount(spc) == 1 && reserved >= 1 && fats >= 1 && fats <= 4;
    String t16 = new String(bs, 0x36, 3, StandardCharsets.ISO_8859_1);
    String t32 = new String(bs, 0x52, 5, StandardCharsets.ISO_8859_1);
    return geometry && (t16.equals("FAT") || t32.equals("FAT32"));
  }

  /**
   * Opens a FAT filesystem.
   *
   * @param dev the partition
   * @return the filesystem
   * @throws IOException on I/O failure or a malformed boot sector
   */
  public static FatFilesystem open(BlockDevice dev) throws IOException {
    if (dev.size() < 512) {
      throw new MalformedDiskIOException("device too small for FAT");
    }
    return new FatFilesystem(dev, dev.readFully(0, 512));
  }

  @Override
  public String type() {
    return "vfat";
  }

  @Override
  public String uuid() {
    return uuid;
  }

  /** @return 12, 16 or 32 */
  public int fatBits() {
    return fatBits;
  }

  @Override
  public FsNode root() {
    return new FatNode(fatBits == 32 ? rootCluster : 0, 0, true);
  }

  @Override
  public Optional<FsNode> lookup(FsNode dir, String name) throws IOException {
    for (Map.Entry<String, FatNode> e : entries(node(dir)).entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  @Override
  public List<String> list(FsNode dir) throws IOException {
    return new ArrayList<>(entries(node(dir)).keySet());
  }

  @Override
  public String readLink(FsNode link) throws IOException {
    throw new IOException("FAT has no symbolic links");
  }

  @Override
  public InputStream open(FsNode file) throws IOException {
    FatNode n = node(file);
    if (n.kind() != NodeKind.FILE) {
      throw new IOException("not a file");
    }
    return new RunsInputStream(dev, runs(n.cluster(), n.size()), n.size());
  }

  @Override
  public void close() {
    // the device belongs to the caller
  }

  private static FatNode node(FsNode n) throws IOException {
    if (!(n instanceof FatNode)) {
      throw new IOException("not a node of this FAT filesystem: " + n);
    }
    return (FatNode) n;
  }

  private long next(long cluster) throws IOException {
    long off;
    if (fatBits == 12) {
      off = fatOffset + cluster + cluster / 2;
      byte[] two = dev.readFully(off, 2);
      int v = (two[0] & 0xFF) | (two[1] & 0xFF) << 8;
      v = (cluster & 1) == 0 ? v & 0xFFF : v >>> 4;
      return v >= 0xFF7 ? -1 : v;
    } else if (fatBits == 16) {
      byte[] two = dev.readFully(fatOffset + cluster * 2, 2);
      int v = (two[0] & 0xFF) | (two[1] & 0xFF) << 8;
      return v >= 0xFFF7 ? -1 : v;
    } else {
      byte[] four = dev.readFully(fatOffset + cluster * 4, 4);
      long v = ByteBuffer.wrap(four).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x0FFFFFFFL;
      return v >= 0x0FFFFFF7L ? -1 : v;
    }
  }

  /** The runs of a cluster chain; {@code size} -1 means "follow to the end" (directories). */
  private List<DataRun> runs(long first, long size) throws IOException {
    List<DataRun> runs = new ArrayList<>();
    if (first == 0) {
      if (size > 0) {
        throw new MalformedDiskIOException("FAT file of " + size + " bytes has no clusters");
      }
      return runs;
    }
    long need = size < 0 ? Long.MAX_VALUE : (size + clusterSize - 1) / clusterSize;
    long c = first;
    long n = 0;
    java.util.BitSet seen = new java.util.BitSet();
    while (c >= 0 && n < need) {
      if (c < 2 || c >= clusterCount + 2) {
        throw new MalformedDiskIOException("FAT cluster " + c + " is out of range");
      }
      if (seen.get((int) c) || ++n > clusterCount) {
        throw new MalformedDiskIOException("FAT cluster chain starting at " + first + " loops");
      }
      seen.set((int) c);
      long fo = (n - 1) * clusterSize;
      long po = dataOffset + (c - 2) * clusterSize;
      DataRun last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
      if (last != null && last.deviceOffset() + last.length() == po) {
        runs.set(runs.size() - 1, new DataRun(last.fileOffset(), last.deviceOffset(),
            last.length() + clusterSize));
      } else {
        runs.add(new DataRun(fo, po, clusterSize));
      }
      c = next(c);
    }
    if (size >= 0 && n < need) {
      throw new MalformedDiskIOException("FAT file of " + size + " bytes has a chain of only "
          + n + " clusters");
    }
    return runs;
  }

  private Map<String, FatNode> entries(FatNode dir) throws IOException {
    if (dir.kind() != NodeKind.DIRECTORY) {
      throw new IOException("not a directory");
    }
    byte[] data;
    if (dir.cluster() == 0) {
      data = dev.readFully(rootDirOffset, rootEntries * 32);
    } else {
      List<DataRun> runs = runs(dir.cluster(), -1);
      long total = runs.stream().mapToLong(DataRun::length).sum();
      if (total > (long) MAX_DIR_ENTRIES * 32) {
        throw new MalformedDiskIOException("FAT directory of " + total + " bytes is too large");
      }
      try (InputStream in = new RunsInputStream(dev, runs, total)) {
        data = in.readAllBytes();
      }
    }
    Map<String, FatNode> out = new LinkedHashMap<>();
    StringBuilder lfn = new StringBuilder();
    char[][] parts = new char[21][];
    int lfnCount = 0;
    int lfnChecksum = -1;
    for (int p = 0; p + 32 <= data.length; p += 32) {
      int first = data[p] & 0xFF;
      if (first == 0) {
        break;
      }
      int attr = data[p + 11] & 0xFF;
      if (first == 0xE5) {
        lfnCount = 0;
        continue;
      }
      if (attr == 0x0F) {
        int ord = first & 0x1F;
        if (ord == 0 || ord > 20) {
          lfnCount = 0;
          continue;
        }
        if ((first & 0x40) != 0) {
          java.util.Arrays.fill(parts, null);
          lfnCount = ord;
          lfnChecksum = data[p + 13] & 0xFF;
        }
        char[] chunk = new char[13];
        int[] offs = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
        for (int i = 0; i < 13; i++) {
          chunk[i] = (char) ((data[p + offs[i]] & 0xFF) | (data[p + offs[i] + 1] & 0xFF) << 8);
        }
        parts[ord] = chunk;
        continue;
      }
      if ((attr & 0x08) != 0) {
        lfnCount = 0;
        continue; // volume label
      }
      String name = null;
      if (lfnCount > 0 && checksum(data, p) == lfnChecksum) {
        lfn.setLength(0);
        boolean complete = true;
        for (int i = 1; i <= lfnCount; i++) {
          if (parts[i] == null) {
            complete = false;
            break;
          }
          for (char ch : parts[i]) {
            if (ch == 0) {
              break;
            }
            lfn.append(ch);
          }
        }
        if (complete) {
          name = lfn.toString();
        }
      }
      lfnCount = 0;
      if (name == null) {
        name = shortName(data, p);
      }
      if (name.equals(".") || name.equals("..")) {
        continue;
      }
      ByteBuffer b = ByteBuffer.wrap(data, p, 32).order(ByteOrder.LITTLE_ENDIAN);
      long cluster = ((long) (b.getShort(p + 20) & 0xFFFF) << 16) | (b.getShort(p + 26) & 0xFFFF);
      if (fatBits != 32) {
        cluster &= 0xFFFF;
      }
      long size = b.getInt(p + 28) & 0xFFFFFFFFL;
      boolean isDir = (attr & 0x10) != 0;
      out.putIfAbsent(name, new FatNode(cluster, isDir ? 0 : size, isDir));
    }
    return out;
  }

  private static int checksum(byte[] d, int p) {
    int sum = 0;
    for (int i = 0; i < 11; i++) {
      sum = (((sum & 1) << 7) | ((sum & 0xFF) >>> 1)) + (d[p + i] & 0xFF);
      sum &= 0xFF;
    }
    return sum;
  }

  private static String shortName(byte[] d, int p) {
    int flags = d[p + 12] & 0xFF;
    byte[] raw = java.util.Arrays.copyOfRange(d, p, p + 11);
    if ((raw[0] & 0xFF) == 0x05) {
      raw[0] = (byte) 0xE5;
    }
    String base = new String(raw, 0, 8, StandardCharsets.ISO_8859_1).stripTrailing();
    String ext = new String(raw, 8, 3, StandardCharsets.ISO_8859_1).stripTrailing();
    if ((flags & 0x08) != 0) {
      base = base.toLowerCase(Locale.ROOT);
    }
    if ((flags & 0x10) != 0) {
      ext = ext.toLowerCase(Locale.ROOT);
    }
    return ext.isEmpty() ? base : base + "." + ext;
  }
}
