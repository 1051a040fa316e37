package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Parsers for XFS directory formats: shortform (in the inode) and directory data blocks. */
final class XfsDirectory {
  /** The most entries one directory may have before the reader calls it malformed. */
  static final int MAX_ENTRIES = 4_000_000;

  private static final long XD2B = 0x58443242L; // v4 single-block directory
  private static final long XD2D = 0x58443244L; // v4 data block
  private static final long XDB3 = 0x58444233L; // v5 single-block directory
  private static final long XDD3 = 0x58444433L; // v5 data block
  private static final int FREE_TAG = 0xffff;

  private XfsDirectory() {}

  /**
   * Parses a shortform directory held in the inode's data fork.
   */
  static void parseShortform(XfsSuperblock sb, XfsInode dir, Map<String, Long> out)
      throws MalformedDiskIOException {
    byte[] f = dir.fork;
    int end = (int) dir.size;
    String w = "shortform directory " + dir.ino;
    if (end < 6) {
      throw new MalformedDiskIOException("XFS " + w + " is " + end + " bytes long");
    }
    int count = Be.u8(f, 0, w);
    int i8count = Be.u8(f, 1, w);
    int inoSize = i8count > 0 ? 8 : 4;
    int p = 2 + inoSize;
    for (int i = 0; i < count; i++) {
      if (p + 3 > end) {
        throw new MalformedDiskIOException("XFS " + w + " entry " + i + " passes its end");
      }
      int nameLen = Be.u8(f, p, w);
      int nameOff = p + 3;
      int inoOff = nameOff + nameLen + (sb.hasFtype() ? 1 : 0);
      if (nameLen == 0 || inoOff + inoSize > end) {
        throw new MalformedDiskIOException("XFS " + w + " entry " + i + " is malformed");
      }
      long ino = Be.uN(f, inoOff, inoSize, w);
      put(out, new String(f, nameOff, nameLen, StandardCharsets.UTF_8), ino, w);
      p = inoOff + inoSize;
    }
  }

  /**
   * Parses one directory data block (block form or data form), adding its live entries.
   */
  static void parseDataBlock(
      XfsSuperblock sb, XfsInode dir, long dirBlock, byte[] b, Map<String, Long> out)
      throws MalformedDiskIOException {
    String w = "directory " + dir.ino + " block " + dirBlock;
    long magic = Be.u32(b, 0, w);
    boolean v5 = sb.version() == 5;
    int hdr = v5 ? 64 : 16;
    int end;
    if (magic == (v5 ? XDB3 : XD2B)) {
      long count = Be.u32(b, b.length - 8, w);
      if (count > (b.length - 8 - hdr) / 8) {
        throw new MalformedDiskIOException("XFS " + w + " has " + count + " leaf entries");
      }
      end = b.length - 8 - (int) count * 8;
    } else if (magic == (v5 ? XDD3 : XD2D)) {
      end = b.length;
    } else {
      throw new MalformedDiskIOException(
          "XFS " + w + " has bad magic 0x" + Long.toHexString(magic));
    }
    if (v5 && Be.u64(b, 40, w) != dir.ino) {
      throw new MalformedDiskIOException("XFS " + w + " belongs to another inode");
    }
    int p = hdr;
    while (p < end) {
      if (Be.u16(b, p, w) == FREE_TAG) {
        int len = Be.u16(b, p + 2, w);
        if (len < 8 || (len & 7) != 0 || len > end - p) {
          throw new MalformedDiskIOException("XFS " + w + " has a free region of " + len + " bytes");
        }
        p += len;
        continue;
      }
      long ino = Be.u64(b, p, w);
      int nameLen = Be.u8(b, p + 8, w);
      int size = (8 + 1 + nameLen + (sb.hasFtype() ? 1 : 0) + 2 + 7) & ~7;
      if (nameLen == 0 || size > end - p) {
        throw new MalformedDiskIOException("XFS " + w + " has a malformed entry at " + p);
      }
      String name = new String(b, p + 9, nameLen, StandardCharsets.UTF_8);
      if (!name.equals(".") && !name.equals("..")) {
        put(out, name, ino, w);
      }
      p += size;
    }
  }

  private static void put(Map<String, Long> out, String name, long ino, String w)
      throws MalformedDiskIOException {
    if (out.size() >= MAX_ENTRIES) {
      throw new MalformedDiskIOException("XFS " + w + ": more than " + MAX_ENTRIES + " entries");
    }
    out.put(name, ino);
  }
}
