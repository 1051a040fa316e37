package io.carbon.computeimage.adapter.convert.fs.btrfs;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A read-only reader for single-device btrfs: chunk tree (SINGLE and DUP profiles), root tree,
 * the default subvolume as the root, crossing into subvolumes at their directory entries, inline,
 * regular and preallocated extents, and zlib, lzo and zstd compression. RAID profiles and
 * multi-device filesystems are refused.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public final class BtrfsFilesystem implements Filesystem {
  /** The top-level subvolume's id. */
  public static final long FS_TREE = 5;

  private static final long ROOT_TREE_ID = 1;
  private static final long FIRST_CHUNK_TREE_OBJECTID = 256;
  private static final int ROOT_ITEM_MIN = 239;
  private static final int INODE_ITEM_SIZE = 160;
  private static final int DIR_ITEM_HEADER = 30;
  private static final long EMPTY_SUBVOL_DIR = 2;
  private static final int MAX_SYMLINK = 4095;

  private final BlockDevice dev;
  private final BtrfsSuperblock sb;
  private final BtrfsChunkMap chunks;
  private final BtrfsTreeReader trees;
  private final long defaultSubvolume;

  private BtrfsFilesystem(
      BlockDevice dev, BtrfsSuperblock sb, BtrfsChunkMap chunks, BtrfsTreeReader trees, long def) {
    this.dev = dev;
    this.sb = sb;
    this.chunks = chunks;
    this.trees = trees;
    this.defaultSubvolume = def;
  }

  /**
   * Checks cheaply whether a device holds a btrfs superblock magic at 64 KiB.
   *
   * @param dev the device
   * @return whether the magic is present
   * @throws IOException on I/O failure
   */
  public static boolean probe(BlockDevice dev) throws IOException {
    if (dev.size() < BtrfsSuperblock.OFFSET + BtrfsSuperblock.SIZE) {
      return false;
    }
    byte[] b = dev.readFully(BtrfsSuperblock.OFFSET + 64, 8);
    return Arrays.equals(b, BtrfsSuperblock.MAGIC);
  }

  /**
   * Opens a btrfs filesystem; the device stays owned by the caller.
   *
   * @param dev the device holding the filesystem at offset 0
   * @return the filesystem, whose {@link #root()} is the default subvolume's top directory
   * @throws IOException on I/O failure, or {@link MalformedDiskIOException} when the filesystem is
   *     malformed or uses something unsupported (several devices, RAID profiles)
   */
  public static BtrfsFilesystem open(BlockDevice dev) throws IOException {
    return open(dev, true);
  }

  /** Opens with or without checksum verification (off only for fuzzing the parsers). */
  static BtrfsFilesystem open(BlockDevice dev, boolean verifyChecksums) throws IOException {
    if (dev.size() < BtrfsSuperblock.OFFSET + BtrfsSuperblock.SIZE) {
      throw new MalformedDiskIOException("device of " + dev.size() + " bytes is too small for btrfs");
    }
    BtrfsSuperblock sb =
        BtrfsSuperblock.parse(
            dev.readFully(BtrfsSuperblock.OFFSET, BtrfsSuperblock.SIZE), verifyChecksums);
    BtrfsChunkMap chunks = new BtrfsChunkMap(sb.devId(), dev.size());
    chunks.addSysChunkArray(sb.sysChunkArray());
    BtrfsTreeReader trees = new BtrfsTreeReader(dev, sb, chunks, verifyChecksums);
    List<BtrfsItem> items =
        trees.range(
            sb.chunkTree(),
            sb.chunkLevel(),
            BtrfsKey.first(FIRST_CHUNK_TREE_OBJECTID, BtrfsKey.CHUNK_ITEM),
            BtrfsKey.last(FIRST_CHUNK_TREE_OBJECTID, BtrfsKey.CHUNK_ITEM));
    for (BtrfsItem it : items) {
      chunks.add(it.key().offset(), it.data());
    }
    long def = FS_TREE;
    byte[] name = "default".getBytes(StandardCharsets.US_ASCII);
    BtrfsKey k = new BtrfsKey(sb.rootDirObjectId(), BtrfsKey.DIR_ITEM, Crc32c.nameHash(name));
    BtrfsItem item = trees.first(sb.rootTree(), sb.rootLevel(), k, k);
    if (item != null) {
      for (DirEntry e : dirEntries(item)) {
        if (Arrays.equals(e.name, name)) {
          def = e.location.objectId();
        }
      }
    }
    BtrfsFilesystem fs = new BtrfsFilesystem(dev, sb, chunks, trees, def);
    FsNode root = fs.root();
    if (root.kind() != NodeKind.DIRECTORY) {
      throw new MalformedDiskIOException("btrfs default subvolume " + def + " has no root directory");
    }
    return fs;
  }

  @Override
  public String type() {
    return "btrfs";
  }

  @Override
  public String uuid() {
    return Le.uuid(sb.fsid(), 0);
  }

  /**
   * Returns the id of the default subvolume ({@link #FS_TREE} unless set otherwise).
   *
   * @return the subvolume id
   */
  public long defaultSubvolumeId() {
    return defaultSubvolume;
  }

  /**
   * Returns the top directory of a subvolume by id.
   *
   * @param id the subvolume id
   * @return its root directory
   * @throws IOException when there is no such subvolume or it is malformed
   */
  public FsNode subvolumeRoot(long id) throws IOException {
    BtrfsSubvolume sv = subvolume(id);
    return inode(sv, sv.rootDir());
  }

  @Override
  public FsNode root() throws IOException {
    return subvolumeRoot(defaultSubvolume);
  }

  @Override
  public Optional<FsNode> lookup(FsNode dir, String name) throws IOException {
    BtrfsNode d = asDir(dir);
    byte[] raw = name.getBytes(StandardCharsets.UTF_8);
    BtrfsKey k = new BtrfsKey(d.ino(), BtrfsKey.DIR_ITEM, Crc32c.nameHash(raw));
    BtrfsItem item = trees.first(d.tree().root(), d.tree().level(), k, k);
    if (item == null) {
      return Optional.empty();
    }
    for (DirEntry e : dirEntries(item)) {
      if (Arrays.equals(e.name, raw)) {
        return Optional.of(follow(d.tree(), e.location));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<String> list(FsNode dir) throws IOException {
    BtrfsNode d = asDir(dir);
    List<String> names = new ArrayList<>();
    for (BtrfsItem it :
        trees.range(
            d.tree().root(),
            d.tree().level(),
            BtrfsKey.first(d.ino(), BtrfsKey.DIR_INDEX),
            BtrfsKey.last(d.ino(), BtrfsKey.DIR_INDEX))) {
      for (DirEntry e : dirEntries(it)) {
        names.add(new String(e.name, StandardCharsets.UTF_8));
      }
    }
    return names;
  }

  @Override
  public String readLink(FsNode link) throws IOException {
    BtrfsNode n = own(link);
    if (n.kind() != NodeKind.SYMLINK) {
      throw new IOException(n + " is not a symlink");
    }
    if (n.size() <= 0 || n.size() > MAX_SYMLINK) {
      throw new MalformedDiskIOException("btrfs symlink " + n + " has length " + n.size());
    }
    try (InputStream in = open(n, false)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public InputStream open(FsNode file) throws IOException {
    return open(file, true);
  }

  private InputStream open(FsNode file, boolean requireFile) throws IOException {
    BtrfsNode n = own(file);
    if (requireFile && n.kind() != NodeKind.FILE) {
      throw new IOException(n + " is not a regular file");
    }
    return new BtrfsFileStream(this, n, extents(n));
  }

  /** The file extents of an inode, in file order, checked for overlaps. */
  BtrfsFileExtent[] extents(BtrfsNode n) throws IOException {
    List<BtrfsItem> items =
        trees.range(
            n.tree().root(),
            n.tree().level(),
            BtrfsKey.first(n.ino(), BtrfsKey.EXTENT_DATA),
            BtrfsKey.last(n.ino(), BtrfsKey.EXTENT_DATA));
    BtrfsFileExtent[] extents = new BtrfsFileExtent[items.size()];
    long end = 0;
    for (int i = 0; i < extents.length; i++) {
      extents[i] = BtrfsFileExtent.parse(items.get(i), n.ino());
      if (extents[i].fileOffset() < end) {
        throw new MalformedDiskIOException(
            "btrfs inode " + n.ino() + " has overlapping extents at " + extents[i].fileOffset());
      }
      end = extents[i].fileOffset() + extents[i].length();
    }
    return extents;
  }

  @Override
  public void close() {
    // the device is owned by the caller
  }

  BtrfsSuperblock superblock() {
    return sb;
  }

  BtrfsChunkMap chunks() {
    return chunks;
  }

  int sectorSize() {
    return sb.sectorSize();
  }

  /** Reads logical bytes, splitting at chunk boundaries. */
  void readLogical(long logical, byte[] dst, int off, int len) throws IOException {
    while (len > 0) {
      int n = (int) Math.min(len, chunks.remainingInChunk(logical));
      long phys = chunks.map(logical, n);
      ByteBuffer buf = ByteBuffer.wrap(dst, off, n);
      while (buf.hasRemaining()) {
        int r = dev.read(phys + (buf.position() - off), buf);
        if (r <= 0) {
          throw new MalformedDiskIOException("btrfs read at device offset " + phys + " failed");
        }
      }
      logical += n;
      off += n;
      len -= n;
    }
  }

  private FsNode follow(BtrfsSubvolume tree, BtrfsKey location) throws IOException {
    if (location.type() == BtrfsKey.INODE_ITEM) {
      return inode(tree, location.objectId());
    }
    if (location.type() != BtrfsKey.ROOT_ITEM) {
      throw new MalformedDiskIOException(
          "btrfs directory entry points at key type " + location.type());
    }
    BtrfsKey ref = new BtrfsKey(tree.id(), BtrfsKey.ROOT_REF, location.objectId());
    if (trees.first(sb.rootTree(), sb.rootLevel(), ref, ref) == null) {
      // a subvolume that was nested in a snapshot's source: the kernel shows an empty directory
      return new BtrfsNode(tree, EMPTY_SUBVOL_DIR, 0x41ed, 0);
    }
    return subvolumeRoot(location.objectId());
  }

  private BtrfsSubvolume subvolume(long id) throws IOException {
    BtrfsItem it =
        trees.first(
            sb.rootTree(),
            sb.rootLevel(),
            BtrfsKey.first(id, BtrfsKey.ROOT_ITEM),
            BtrfsKey.last(id, BtrfsKey.ROOT_ITEM));
    if (it == null) {
      throw new MalformedDiskIOException("btrfs subvolume " + id + " has no ROOT_ITEM");
    }
    byte[] d = it.data();
    String w = "root item of subvolume " + id;
    if (d.length < ROOT_ITEM_MIN) {
      throw new MalformedDiskIOException("btrfs " + w + " is " + d.length + " bytes");
    }
    int level = Le.u8(d, 238, w);
    if (level > BtrfsSuperblock.MAX_LEVEL) {
      throw new MalformedDiskIOException("btrfs " + w + " has level " + level);
    }
    return new BtrfsSubvolume(id, Le.u64(d, 176, w), level, Le.u64(d, 168, w));
  }

  private BtrfsNode inode(BtrfsSubvolume tree, long ino) throws IOException {
    BtrfsKey k = new BtrfsKey(ino, BtrfsKey.INODE_ITEM, 0);
    BtrfsItem it = trees.first(tree.root(), tree.level(), k, k);
    if (it == null) {
      throw new MalformedDiskIOException(
          "btrfs inode " + ino + " of subvolume " + tree.id() + " does not exist");
    }
    byte[] d = it.data();
    String w = "inode " + ino;
    if (d.length < INODE_ITEM_SIZE) {
      throw new MalformedDiskIOException("btrfs " + w + " item is " + d.length + " bytes");
    }
    long size = Le.u64(d, 16, w);
    if (size < 0) {
      throw new MalformedDiskIOException("btrfs " + w + " has a negative size");
    }
    return new BtrfsNode(tree, ino, (int) Le.u32(d, 52, w), size);
  }

  private static final class DirEntry {
    final BtrfsKey location;
    final byte[] name;

    DirEntry(BtrfsKey location, byte[] name) {
      this.location = location;
      this.name = name;
    }
  }

  private static List<DirEntry> dirEntries(BtrfsItem item) throws MalformedDiskIOException {
    List<DirEntry> out = new ArrayList<>(1);
    byte[] d = item.data();
    String w = "directory item " + item.key();
    int p = 0;
    while (p < d.length) {
      BtrfsKey loc = BtrfsKey.parse(d, p, w);
      int dataLen = Le.u16(d, p + 25, w);
      int nameLen = Le.u16(d, p + 27, w);
      int total = DIR_ITEM_HEADER + nameLen + dataLen;
      Le.check(d, p, total, w);
      if (nameLen == 0 || nameLen > 255) {
        throw new MalformedDiskIOException("btrfs " + w + " has a name of " + nameLen + " bytes");
      }
      out.add(new DirEntry(loc, Arrays.copyOfRange(d, p + DIR_ITEM_HEADER, p + DIR_ITEM_HEADER + nameLen)));
      p += total;
    }
    return out;
  }

  private static BtrfsNode asDir(FsNode node) throws IOException {
    BtrfsNode n = own(node);
    if (n.kind() != NodeKind.DIRECTORY) {
      throw new IOException(n + " is not a directory");
    }
    return n;
  }

  private static BtrfsNode own(FsNode node) {
    if (!(node instanceof BtrfsNode)) {
      throw new IllegalArgumentException("not a node of this btrfs filesystem: " + node);
    }
    return (BtrfsNode) node;
  }
}
