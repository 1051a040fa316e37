package io.carbon.computeimage.adapter.convert.fs.ext4;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.DataRun;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import io.carbon.computeimage.adapter.convert.fs.RunsInputStream;
import io.carbon.computeimage.adapter.convert.fs.UnsupportedFilesystemIOException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A read-only ext2/3/4 filesystem. Thread-safe (no mutable state after opening). */
public final class Ext4Filesystem implements Filesystem {
  static final int INCOMPAT_COMPRESSION = 0x1;
  static final int INCOMPAT_FILETYPE = 0x2;
  static final int INCOMPAT_JOURNAL_DEV = 0x8;
  static final int INCOMPAT_META_BG = 0x10;
  static final int INCOMPAT_64BIT = 0x80;
  static final int INCOMPAT_DIRDATA = 0x1000;
  static final int RO_COMPAT_SPARSE_SUPER = 0x1;

  static final int FLAG_INDEX = 0x1000;
  static final int FLAG_EXTENTS = 0x80000;
  static final int FLAG_INLINE_DATA = 0x10000000;
  static final int FLAG_ENCRYPT = 0x800;

  private static final int ROOT_INODE = 2;
  private static final int MAX_EXTENT_DEPTH = 5;

  private final BlockDevice dev;
  private final int blockSize;
  private final long blocksCount;
  private final long inodesCount;
  private final long inodesPerGroup;
  private final long blocksPerGroup;
  private final long firstDataBlock;
  private final int inodeSize;
  private final int descSize;
  private final long groupCount;
  private final int incompat;
  private final int roCompat;
  private final long firstMetaBg;
  private final String uuid;
  private final String label;

  private Ext4Filesystem(BlockDevice dev, byte[] sb) throws IOException {
    this.dev = dev;
    ByteBuffer b = ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
    if ((b.getShort(56) & 0xFFFF) != 0xEF53) {
      throw new MalformedDiskIOException("no ext2/3/4 superblock magic");
    }
    long logBlock = u32(b, 24);
    if (logBlock > 6) {
      throw new MalformedDiskIOException("ext4 block size 2^(10+" + logBlock + ") is out of range");
    }
    blockSize = 1024 << logBlock;
    incompat = b.getInt(96);
    roCompat = b.getInt(100);
    long revLevel = u32(b, 76);
    inodeSize = revLevel == 0 ? 128 : b.getShort(88) & 0xFFFF;
    if (inodeSize < 128 || inodeSize > blockSize || Integer.bitCount(inodeSize) != 1) {
      throw new MalformedDiskIOException("ext4 inode size " + inodeSize + " is out of range");
    }
    boolean is64 = (incompat & INCOMPAT_64BIT) != 0;
    long hi = is64 ? u32(b, 0x150) : 0;
    blocksCount = (hi << 32) | u32(b, 4);
    inodesCount = u32(b, 0);
    blocksPerGroup = u32(b, 32);
    inodesPerGroup = u32(b, 40);
    firstDataBlock = u32(b, 20);
    if (blocksPerGroup == 0 || blocksPerGroup > 8L * blockSize * 8 || inodesPerGroup == 0
        || inodesPerGroup > 8L * blockSize) {
      throw new MalformedDiskIOException("ext4 blocks/inodes per group (" + blocksPerGroup + "/"
          + inodesPerGroup + ") are out of range");
    }
    if (blocksCount == 0 || blocksCount > dev.size() / blockSize + 1 || firstDataBlock >= blocksCount) {
      // the filesystem may claim a little more than the partition when truncated; allow +1
      throw new MalformedDiskIOException("ext4 claims " + blocksCount + " blocks of " + blockSize
          + " bytes but the device holds " + dev.size() + " bytes");
    }
    groupCount = (blocksCount - firstDataBlock + blocksPerGroup - 1) / blocksPerGroup;
    if (inodesCount > groupCount * inodesPerGroup) {
      throw new MalformedDiskIOException("ext4 inode count " + inodesCount + " exceeds "
          + groupCount + " groups of " + inodesPerGroup);
    }
    int ds = is64 ? b.getShort(0xFE) & 0xFFFF : 32;
    if (is64 && (ds < 64 || ds > 1024 || Integer.bitCount(ds) != 1)) {
      throw new MalformedDiskIOException("ext4 group descriptor size " + ds + " is out of range");
    }
    descSize = ds;
    firstMetaBg = u32(b, 0x104);
    if ((incompat & (INCOMPAT_COMPRESSION | INCOMPAT_JOURNAL_DEV | INCOMPAT_DIRDATA)) != 0) {
      throw new UnsupportedFilesystemIOException(String.format(Locale.ROOT,
          "ext4 incompatible features 0x%x are not supported", incompat));
    }
    uuid = formatUuid(sb, 104);
    label = cString(sb, 120, 16);
  }

  /**
   * Opens an ext2/3/4 filesystem.
   *
   * @param dev the partition
   * @return the filesystem
   * @throws IOException on I/O failure or a malformed or unsupported superblock
   */
  public static Ext4Filesystem open(BlockDevice dev) throws IOException {
    if (dev.size() < 2048) {
      throw new MalformedDiskIOException("device too small for ext4 (" + dev.size() + " bytes)");
    }
    return new Ext4Filesystem(dev, dev.readFully(1024, 1024));
  }

  @Override
  public String type() {
    return "ext4";
  }

  @Override
  public String uuid() {
    return uuid;
  }

  /** @return the volume label, or "" */
  public String label() {
    return label;
  }

  /** @return the block size in bytes */
  public int blockSize() {
    return blockSize;
  }

  @Override
  public FsNode root() throws IOException {
    Ext4Node root = inode(ROOT_INODE);
    if (root.kind() != NodeKind.DIRECTORY) {
      throw new MalformedDiskIOException("ext4 root inode is not a directory");
    }
    return root;
  }

  @Override
  public Optional<FsNode> lookup(FsNode dir, String name) throws IOException {
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    List<long[]> hit = new ArrayList<>();
    scanDir(node(dir), (n, off, len, ino) -> {
      if (len == want.length && Arrays.equals(n, off, off + len, want, 0, want.length)) {
        hit.add(new long[] {ino});
        return false;
      }
      return true;
    });
    if (hit.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(inode(hit.get(0)[0]));
  }

  @Override
  public List<String> list(FsNode dir) throws IOException {
    List<String> names = new ArrayList<>();
    scanDir(node(dir), (n, off, len, ino) -> {
      String s = new String(n, off, len, StandardCharsets.UTF_8);
      if (!s.equals(".") && !s.equals("..")) {
        names.add(s);
      }
      return true;
    });
    return names;
  }

  @Override
  public String readLink(FsNode link) throws IOException {
    Ext4Node n = node(link);
    if (n.kind() != NodeKind.SYMLINK) {
      throw new IOException("inode " + n.number() + " is not a symlink");
    }
    if (n.size() > 4096) {
      throw new MalformedDiskIOException("symlink inode " + n.number() + " is " + n.size()
          + " bytes long");
    }
    byte[] target;
    if (n.isFastSymlink()) {
      target = Arrays.copyOfRange(n.raw(), 0x28, 0x28 + (int) n.size());
    } else {
      try (InputStream in = open(n)) {
        target = in.readNBytes((int) n.size());
      }
    }
    return new String(target, StandardCharsets.UTF_8);
  }

  @Override
  public InputStream open(FsNode file) throws IOException {
    Ext4Node n = node(file);
    if ((n.flags() & FLAG_ENCRYPT) != 0) {
      throw new UnsupportedFilesystemIOException("ext4 inode " + n.number() + " is encrypted");
    }
    if ((n.flags() & FLAG_INLINE_DATA) != 0) {
      byte[] data = inlineData(n);
      if (data.length < n.size()) {
        throw new MalformedDiskIOException("ext4 inode " + n.number() + " claims " + n.size()
            + " bytes of inline data but holds " + data.length);
      }
      return new ByteArrayInputStream(data, 0, (int) n.size());
    }
    return new RunsInputStream(dev, runs(n), n.size());
  }

  @Override
  public void close() {
    // the device belongs to the caller
  }

  // ---------------------------------------------------------------- inodes

  Ext4Node inode(long number) throws IOException {
    if (number < 1 || number > inodesCount) {
      throw new MalformedDiskIOException("ext4 inode number " + number + " is out of range (1.."
          + inodesCount + ")");
    }
    long group = (number - 1) / inodesPerGroup;
    long index = (number - 1) % inodesPerGroup;
    long table = inodeTable(group);
    long off = table * blockSize + index * inodeSize;
    if (table >= blocksCount || off < 0 || off > dev.size() - inodeSize) {
      throw new MalformedDiskIOException("ext4 inode table of group " + group + " (block " + table
          + ") lies outside the filesystem");
    }
    byte[] raw = dev.readFully(off, inodeSize);
    return new Ext4Node(number, raw);
  }

  private long inodeTable(long group) throws IOException {
    long descPerBlock = blockSize / descSize;
    long descBlockIndex = group / descPerBlock;
    long block;
    if ((incompat & INCOMPAT_META_BG) != 0 && descBlockIndex >= firstMetaBg) {
      long firstGroup = descBlockIndex * descPerBlock;
      block = firstDataBlock + firstGroup * blocksPerGroup + (hasSuper(firstGroup) ? 1 : 0);
    } else {
      block = firstDataBlock + 1 + descBlockIndex;
    }
    long off = block * blockSize + (group % descPerBlock) * descSize;
    if (off < 0 || off > dev.size() - descSize) {
      throw new MalformedDiskIOException("ext4 group descriptor " + group
          + " lies outside the device");
    }
    ByteBuffer d = ByteBuffer.wrap(dev.readFully(off, descSize)).order(ByteOrder.LITTLE_ENDIAN);
    long lo = u32(d, 8);
    long hi = descSize >= 64 ? u32(d, 0x28) : 0;
    return (hi << 32) | lo;
  }

  private boolean hasSuper(long group) {
    if (group <= 1 || (roCompat & RO_COMPAT_SPARSE_SUPER) == 0) {
      return true;
    }
    return isPower(group, 3) || isPower(group, 5) || isPower(group, 7);
  }

  private static boolean isPower(long n, int base) {
    long p = base;
    while (p < n) {
      p *= base;
    }
    return p == n;
  }

  private static Ext4Node node(FsNode n) throws IOException {
    if (!(n instanceof Ext4Node)) {
      throw new IOException("not a node of this ext4 filesystem: " + n);
    }
    return (Ext4Node) n;
  }

  // ---------------------------------------------------------------- data mapping

  /** The runs of a file that uses extents or a block map. */
  List<DataRun> runs(Ext4Node n) throws IOException {
    long fileBlocks = (n.size() + blockSize - 1) / blockSize;
    List<DataRun> runs = new ArrayList<>();
    if ((n.flags() & FLAG_EXTENTS) != 0) {
      int[] budget = {(int) Math.min(1_000_000, fileBlocks + 64)};
      extentNode(Arrays.copyOfRange(n.raw(), 0x28, 0x28 + 60), MAX_EXTENT_DEPTH, fileBlocks,
          runs, budget, n.number());
      runs.sort((a, b) -> Long.compare(a.fileOffset(), b.fileOffset()));
      for (int i = 1; i < runs.size(); i++) {
        DataRun p = runs.get(i - 1);
        if (p.fileOffset() + p.length() > runs.get(i).fileOffset()) {
          throw new MalformedDiskIOException("ext4 inode " + n.number()
              + " has overlapping extents");
        }
      }
    } else {
      ByteBuffer ib = ByteBuffer.wrap(n.raw(), 0x28, 60).order(ByteOrder.LITTLE_ENDIAN);
      long perBlock = blockSize / 4;
      int[] budget = {(int) Math.min(2_000_000, fileBlocks / perBlock * 2 + 16)};
      long logical = 0;
      for (int i = 0; i < 12 && logical < fileBlocks; i++, logical++) {
        addBlock(runs, logical, u32(ib, 0x28 + 4 * i));
      }
      long span = perBlock;
      for (int level = 1; level <= 3 && logical < fileBlocks; level++) {
        indirect(u32(ib, 0x28 + 4 * (11 + level)), level, logical, fileBlocks, runs, budget,
            n.number());
        logical += span;
        span *= perBlock;
      }
    }
    return runs;
  }

  private void addBlock(List<DataRun> runs, long logical, long physical) throws IOException {
    if (physical == 0) {
      return;
    }
    checkBlock(physical, 1);
    long fo = logical * blockSize;
    long po = physical * blockSize;
    if (!runs.isEmpty()) {
      DataRun last = runs.get(runs.size() - 1);
      if (last.fileOffset() + last.length() == fo && last.deviceOffset() + last.length() == po) {
        runs.set(runs.size() - 1, new DataRun(last.fileOffset(), last.deviceOffset(),
            last.length() + blockSize));
        return;
      }
    }
    runs.add(new DataRun(fo, po, blockSize));
  }

  private void indirect(long block, int level, long firstLogical, long fileBlocks,
      List<DataRun> runs, int[] budget, long ino) throws IOException {
    if (block == 0 || firstLogical >= fileBlocks) {
      return;
    }
    if (--budget[0] < 0) {
      throw new MalformedDiskIOException("ext4 inode " + ino + " has too many indirect blocks");
    }
    checkBlock(block, 1);
    ByteBuffer b = ByteBuffer.wrap(dev.readFully(block * blockSize, blockSize))
        .order(ByteOrder.LITTLE_ENDIAN);
    long perBlock = blockSize / 4;
    long span = 1;
    for (int i = 1; i < level; i++) {
      span *= perBlock;
    }
    for (int i = 0; i < perBlock; i++) {
      long logical = firstLogical + i * span;
      if (logical >= fileBlocks) {
        break;
      }
      long p = u32(b, 4 * i);
      if (level == 1) {
        addBlock(runs, logical, p);
      } else {
        indirect(p, level - 1, logical, fileBlocks, runs, budget, ino);
      }
    }
  }

  private void extentNode(byte[] node, int depthLeft, long fileBlocks, List<DataRun> runs,
      int[] budget, long ino) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(node).order(ByteOrder.LITTLE_ENDIAN);
    if ((b.getShort(0) & 0xFFFF) != 0xF30A) {
      throw new MalformedDiskIOException("ext4 inode " + ino + ": bad extent header magic");
    }
    int entries = b.getShort(2) & 0xFFFF;
    int depth = b.getShort(6) & 0xFFFF;
    if (12 + 12L * entries > node.length) {
      throw new MalformedDiskIOException("ext4 inode " + ino + ": " + entries
          + " extent entries do not fit their node");
    }
    if (depth > depthLeft) {
      throw new MalformedDiskIOException("ext4 inode " + ino + ": extent tree depth " + depth
          + " is out of range");
    }
    for (int i = 0; i < entries; i++) {
      int e = 12 + 12 * i;
      long logical = u32(b, e);
      if (depth == 0) {
        int len = b.getShort(e + 4) & 0xFFFF;
        boolean unwritten = len > 32768;
        if (unwritten) {
          len -= 32768;
        }
        long start = ((long) (b.getShort(e + 6) & 0xFFFF) << 32) | u32(b, e + 8);
        if (len == 0 || logical >= fileBlocks) {
          continue;
        }
        long useLen = Math.min(len, fileBlocks - logical);
        checkBlock(start, len);
        runs.add(new DataRun(logical * blockSize, unwritten ? -1 : start * blockSize,
            useLen * blockSize));
      } else {
        long leaf = ((long) (b.getShort(e + 8) & 0xFFFF) << 32) | u32(b, e + 4);
        if (--budget[0] < 0) {
          throw new MalformedDiskIOException("ext4 inode " + ino
              + ": too many extent tree nodes (a loop?)");
        }
        checkBlock(leaf, 1);
        byte[] child = dev.readFully(leaf * blockSize, blockSize);
        int childDepth = ByteBuffer.wrap(child).order(ByteOrder.LITTLE_ENDIAN).getShort(6)
            & 0xFFFF;
        if (childDepth != depth - 1) {
          throw new MalformedDiskIOException("ext4 inode " + ino + ": extent node at block "
              + leaf + " has depth " + childDepth + ", expected " + (depth - 1));
        }
        extentNode(child, depth - 1, fileBlocks, runs, budget, ino);
      }
    }
  }

  private void checkBlock(long block, long count) throws MalformedDiskIOException {
    if (block < 0 || count < 0 || block >= blocksCount || count > blocksCount - block
        || (block + count) * blockSize > dev.size() + blockSize) {
      throw new MalformedDiskIOException("ext4 block range " + block + "+" + count
          + " lies outside the filesystem (" + blocksCount + " blocks)");
    }
  }

  // ---------------------------------------------------------------- inline data

  /** The inline bytes: i_block (60 bytes) followed by the system.data xattr value. */
  byte[] inlineData(Ext4Node n) throws IOException {
    byte[] raw = n.raw();
    byte[] head = Arrays.copyOfRange(raw, 0x28, 0x28 + 60);
    byte[] extra = inlineXattr(n);
    byte[] all = Arrays.copyOf(head, head.length + extra.length);
    System.arraycopy(extra, 0, all, head.length, extra.length);
    return all;
  }

  private static byte[] inlineXattr(Ext4Node n) throws IOException {
    byte[] raw = n.raw();
    if (raw.length <= 128 + 2) {
      return new byte[0];
    }
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    int extra = b.getShort(128) & 0xFFFF;
    int start = 128 + extra;
    if (extra % 4 != 0 || start + 4 > raw.length) {
      return new byte[0];
    }
    if (b.getInt(start) != 0xEA020000) {
      return new byte[0];
    }
    int first = start + 4;
    int p = first;
    while (p + 16 <= raw.length) {
      int nameLen = raw[p] & 0xFF;
      int nameIndex = raw[p + 1] & 0xFF;
      int valueOffs = b.getShort(p + 2) & 0xFFFF;
      long valueSize = u32(b, p + 8);
      if (nameLen == 0 && nameIndex == 0 && valueOffs == 0 && b.getInt(p) == 0) {
        break;
      }
      if (p + 16 + nameLen > raw.length) {
        throw new MalformedDiskIOException("ext4 inode " + n.number() + ": xattr entry overflows");
      }
      String name = new String(raw, p + 16, nameLen, StandardCharsets.ISO_8859_1);
      if (nameIndex == 7 && name.equals("data")) {
        if (valueSize > raw.length || first + valueOffs + valueSize > raw.length) {
          throw new MalformedDiskIOException("ext4 inode " + n.number()
              + ": inline data xattr lies outside the inode");
        }
        return Arrays.copyOfRange(raw, first + valueOffs, first + valueOffs + (int) valueSize);
      }
      p += (16 + nameLen + 3) & ~3;
    }
    return new byte[0];
  }

  // ---------------------------------------------------------------- directories

  @FunctionalInterface
  private interface EntryVisitor {
    /** @return false to stop */
    boolean visit(byte[] buf, int nameOff, int nameLen, long inode) throws IOException;
  }

  private void scanDir(Ext4Node dir, EntryVisitor v) throws IOException {
    if (dir.kind() != NodeKind.DIRECTORY) {
      throw new IOException("inode " + dir.number() + " is not a directory");
    }
    if ((dir.flags() & FLAG_INLINE_DATA) != 0) {
      byte[] raw = dir.raw();
      long parent = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getInt(0x28) & 0xFFFFFFFFL;
      byte[] dotdot = "..".getBytes(StandardCharsets.ISO_8859_1);
      if (!v.visit(dotdot, 0, 2, parent)) {
        return;
      }
      byte[] head = Arrays.copyOfRange(raw, 0x28 + 4, 0x28 + 60);
      if (!scanBlock(head, 0, head.length, v, dir.number())) {
        return;
      }
      byte[] extra = inlineXattr(dir);
      scanBlock(extra, 0, extra.length, v, dir.number());
      return;
    }
    if (dir.size() > 1L << 32) {
      throw new MalformedDiskIOException("ext4 directory inode " + dir.number() + " claims "
          + dir.size() + " bytes");
    }
    List<DataRun> runs = runs(dir);
    byte[] block = new byte[blockSize];
    for (DataRun r : runs) {
      if (r.isHole()) {
        continue;
      }
      for (long o = 0; o < r.length(); o += blockSize) {
        ByteBuffer buf = ByteBuffer.wrap(block);
        long at = r.deviceOffset() + o;
        while (buf.hasRemaining()) {
          if (dev.read(at + buf.position(), buf) <= 0) {
            throw new MalformedDiskIOException("ext4 directory block at " + at
                + " lies past the device end");
          }
        }
        if (!scanBlock(block, 0, blockSize, v, dir.number())) {
          return;
        }
      }
    }
  }

  private boolean scanBlock(byte[] b, int start, int end, EntryVisitor v, long ino)
      throws IOException {
    int p = start;
    boolean hasType = (incompat & INCOMPAT_FILETYPE) != 0;
    while (p + 8 <= end) {
      long inode = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16
          | (long) (b[p + 3] & 0xFF) << 24;
      int recLen = (b[p + 4] & 0xFF) | (b[p + 5] & 0xFF) << 8;
      if (recLen == 0 && blockSize == 65536 && p == start) {
        recLen = 65536;
      }
      int nameLen = hasType ? b[p + 6] & 0xFF : (b[p + 6] & 0xFF) | (b[p + 7] & 0xFF) << 8;
      if (recLen < 8 || recLen % 4 != 0 || p + recLen > end || 8 + nameLen > recLen) {
        if (inode == 0 && recLen == 0 && end - start < blockSize) {
          return true; // unused tail of an inline directory
        }
        throw new MalformedDiskIOException("ext4 directory inode " + ino
            + ": bad entry at offset " + (p - start) + " (rec_len " + recLen + ", name_len "
            + nameLen + ")");
      }
      if (inode != 0 && nameLen > 0) {
        if (!v.visit(b, p + 8, nameLen, inode)) {
          return false;
        }
      }
      p += recLen;
    }
    return true;
  }

  // ---------------------------------------------------------------- helpers

  static long u32(ByteBuffer b, int off) {
    return b.getInt(off) & 0xFFFFFFFFL;
  }

  private static String formatUuid(byte[] b, int off) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        sb.append('-');
      }
      sb.append(String.format(Locale.ROOT, "%02x", b[off + i] & 0xFF));
    }
    return sb.toString();
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }
}
