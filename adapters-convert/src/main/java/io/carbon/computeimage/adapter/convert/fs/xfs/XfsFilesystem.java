package io.carbon.computeimage.adapter.convert.fs.xfs;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only XFS reader (v5 and v4 superblocks): shortform, block, leaf, node and btree
 * directories; local, extent and btree data forks; local and remote symlinks. Features that change
 * only allocation or metadata the reader does not use (sparse inodes, reflink, finobt, bigtime,
 * inobtcount, nrext64) are accepted. Realtime files are refused.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public final class XfsFilesystem implements Filesystem {
  private static final int MAX_SYMLINK = 1024;
  private static final long SYMLINK_MAGIC = 0x58534c4dL; // "XSLM"
  private static final int SYMLINK_HDR = 56;
  private static final long LEAF_OFFSET_BYTES = 1L << 35; // directory data space ends at 32 GiB
  private static final int DIR_CACHE = 64;
  private static final long REALTIME_FLAG = 0x1;

  private final BlockDevice dev;
  private final XfsSuperblock sb;
  private final Map<Long, Map<String, Long>> dirCache =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<String, Long>> eldest) {
          return size() > DIR_CACHE;
        }
      };

  private XfsFilesystem(BlockDevice dev, XfsSuperblock sb) {
    this.dev = dev;
    this.sb = sb;
  }

  /**
   * Checks cheaply whether a device starts with an XFS superblock magic.
   *
   * @param dev the device
   * @return whether the magic is present
   * @throws IOException on I/O failure
   */
  public static boolean probe(BlockDevice dev) throws IOException {
    if (dev.size() < 512) {
      return false;
    }
    byte[] b = dev.readFully(0, 4);
    return b[0] == 'X' && b[1] == 'F' && b[2] == 'S' && b[3] == 'B';
  }

  /**
   * Opens an XFS filesystem; the device stays owned by the caller (closing the filesystem does not
   * close it).
   *
   * @param dev the device holding the filesystem at offset 0
   * @return the filesystem
   * @throws IOException on I/O failure, or {@link MalformedDiskIOException} when the superblock is
   *     missing, invalid or uses an unsupported feature
   */
  public static XfsFilesystem open(BlockDevice dev) throws IOException {
    return open(dev, true);
  }

  /** Opens with or without superblock CRC verification (off only for fuzzing the parsers). */
  static XfsFilesystem open(BlockDevice dev, boolean verifyCrc) throws IOException {
    if (dev.size() < 512) {
      throw new MalformedDiskIOException("device of " + dev.size() + " bytes is too small for XFS");
    }
    byte[] first = dev.readFully(0, 512);
    int sect = Be.u16(first, 102, "superblock");
    if (sect > 512 && sect <= 32768 && Integer.bitCount(sect) == 1 && sect <= dev.size()) {
      first = dev.readFully(0, sect);
    }
    XfsSuperblock sb = XfsSuperblock.parse(first, dev.size(), verifyCrc);
    XfsFilesystem fs = new XfsFilesystem(dev, sb);
    XfsInode root = fs.inode(sb.rootIno());
    if (root.kind() != NodeKind.DIRECTORY) {
      throw new MalformedDiskIOException("XFS root inode " + sb.rootIno() + " is not a directory");
    }
    return fs;
  }

  @Override
  public String type() {
    return "xfs";
  }

  @Override
  public String uuid() {
    return sb.uuid();
  }

  /**
   * Returns whether the superblock is version 5 (CRC-enabled).
   *
   * @return true for v5
   */
  public boolean isV5() {
    return sb.version() == 5;
  }

  @Override
  public FsNode root() throws IOException {
    return inode(sb.rootIno());
  }

  @Override
  public Optional<FsNode> lookup(FsNode dir, String name) throws IOException {
    Long ino = entries(asDir(dir)).get(name);
    return ino == null ? Optional.empty() : Optional.of(inode(ino));
  }

  @Override
  public List<String> list(FsNode dir) throws IOException {
    return new ArrayList<>(entries(asDir(dir)).keySet());
  }

  @Override
  public String readLink(FsNode link) throws IOException {
    XfsInode in = own(link);
    if (in.kind() != NodeKind.SYMLINK) {
      throw new IOException(in + " is not a symlink");
    }
    if (in.size > MAX_SYMLINK || in.size == 0) {
      throw new MalformedDiskIOException("XFS symlink " + in + " has length " + in.size);
    }
    int len = (int) in.size;
    if (in.format == XfsInode.FORMAT_LOCAL) {
      return new String(in.fork, 0, len, StandardCharsets.UTF_8);
    }
    XfsExtentMap map = XfsExtentMap.read(dev, sb, in);
    if (sb.version() != 5) {
      byte[] out = new byte[len];
      readData(in, map, 0, out, 0, len);
      return new String(out, StandardCharsets.UTF_8);
    }
    byte[] out = new byte[len];
    int done = 0;
    byte[] block = new byte[sb.blockSize()];
    int per = sb.blockSize() - SYMLINK_HDR;
    for (long fb = 0; done < len; fb++) {
      readData(in, map, fb * sb.blockSize(), block, 0, block.length);
      String w = "symlink " + in.ino + " block " + fb;
      if (Be.u32(block, 0, w) != SYMLINK_MAGIC) {
        throw new MalformedDiskIOException("XFS " + w + " has no XSLM magic");
      }
      long off = Be.u32(block, 4, w);
      long bytes = Be.u32(block, 8, w);
      int n = Math.min(per, len - done);
      if (off != done || bytes != n) {
        throw new MalformedDiskIOException(
            "XFS " + w + " holds bytes " + off + "+" + bytes + ", expected " + done + "+" + n);
      }
      System.arraycopy(block, SYMLINK_HDR, out, done, n);
      done += n;
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Override
  public InputStream open(FsNode file) throws IOException {
    XfsInode in = own(file);
    if (in.kind() != NodeKind.FILE) {
      throw new IOException(in + " is not a regular file");
    }
    if (in.format == XfsInode.FORMAT_LOCAL) {
      return new java.io.ByteArrayInputStream(in.fork, 0, (int) in.size);
    }
    return new XfsFileStream(this, in, XfsExtentMap.read(dev, sb, in));
  }

  @Override
  public void close() {
    dirCache.clear();
  }

  XfsSuperblock superblock() {
    return sb;
  }

  XfsInode inode(long ino) throws IOException {
    byte[] b = dev.readFully(sb.inodeOffset(ino), sb.inodeSize());
    XfsInode in = XfsInode.parse(sb, ino, b);
    if (in.kind() == NodeKind.FILE && (Be.u16(b, 90, "inode " + ino) & REALTIME_FLAG) != 0) {
      throw new MalformedDiskIOException("XFS inode " + ino + " is a realtime file (not supported)");
    }
    return in;
  }

  /**
   * Copies file bytes; holes and unwritten extents read as zeros.
   */
  void readData(XfsInode in, XfsExtentMap map, long pos, byte[] dst, int off, int len)
      throws IOException {
    int bs = sb.blockSize();
    while (len > 0) {
      long fb = pos >>> sb.blockLog();
      int within = (int) (pos & (bs - 1));
      int idx = map.find(fb);
      if (idx < 0) {
        int next = -idx - 1;
        long stop = next < map.count() ? blocksToBytes(map.get(next).fileBlock()) : Long.MAX_VALUE;
        int n = (int) Math.min(len, stop - pos);
        Arrays.fill(dst, off, off + n, (byte) 0);
        pos += n;
        off += n;
        len -= n;
        continue;
      }
      XfsExtent e = map.get(idx);
      long extEnd = blocksToBytes(e.fileBlock() + e.count());
      int n = (int) Math.min(len, extEnd - pos);
      if (e.unwritten()) {
        Arrays.fill(dst, off, off + n, (byte) 0);
      } else {
        long diskOff = sb.blockOffset(e.fsBlock()) + ((fb - e.fileBlock()) << sb.blockLog()) + within;
        ByteBuffer buf = ByteBuffer.wrap(dst, off, n);
        while (buf.hasRemaining()) {
          int r = dev.read(diskOff + (buf.position() - off), buf);
          if (r <= 0) {
            throw new MalformedDiskIOException(
                "XFS inode " + in.ino + " data at byte " + diskOff + " lies past the end of the device");
          }
        }
      }
      pos += n;
      off += n;
      len -= n;
    }
  }

  /** Converts file blocks to bytes, saturating instead of overflowing. */
  private long blocksToBytes(long blocks) {
    return blocks > (Long.MAX_VALUE >>> sb.blockLog()) ? Long.MAX_VALUE : blocks << sb.blockLog();
  }

  private Map<String, Long> entries(XfsInode dir) throws IOException {
    Map<String, Long> cached = dirCache.get(dir.ino);
    if (cached != null) {
      return cached;
    }
    Map<String, Long> out = new LinkedHashMap<>();
    if (dir.format == XfsInode.FORMAT_LOCAL) {
      XfsDirectory.parseShortform(sb, dir, out);
    } else {
      XfsExtentMap map = XfsExtentMap.read(dev, sb, dir);
      int dbs = sb.dirBlockSize();
      long leafBlock = LEAF_OFFSET_BYTES >>> sb.blockLog();
      int fsbPerDirBlock = dbs >>> sb.blockLog();
      byte[] block = new byte[dbs];
      long lastDirBlock = -1;
      for (int i = 0; i < map.count(); i++) {
        XfsExtent e = map.get(i);
        if (e.fileBlock() >= leafBlock) {
          break;
        }
        long first = e.fileBlock() / fsbPerDirBlock;
        long last = Math.min(e.fileBlock() + e.count(), leafBlock) - 1;
        for (long db = Math.max(first, lastDirBlock + 1); db <= last / fsbPerDirBlock; db++) {
          readData(dir, map, db * dbs, block, 0, dbs);
          XfsDirectory.parseDataBlock(sb, dir, db, block, out);
          lastDirBlock = db;
        }
      }
    }
    dirCache.put(dir.ino, out);
    return out;
  }

  private XfsInode asDir(FsNode node) throws IOException {
    XfsInode in = own(node);
    if (in.kind() != NodeKind.DIRECTORY) {
      throw new IOException(in + " is not a directory");
    }
    return in;
  }

  private static XfsInode own(FsNode node) {
    if (!(node instanceof XfsInode)) {
      throw new IllegalArgumentException("not a node of this XFS filesystem: " + node);
    }
    return (XfsInode) node;
  }
}
