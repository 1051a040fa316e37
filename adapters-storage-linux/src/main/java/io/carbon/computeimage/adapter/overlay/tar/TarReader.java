package io.carbon.computeimage.adapter.overlay.tar;

import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A streaming tar reader for container layers: ustar, GNU (long names, old sparse) and PAX
 * (local and global records, {@code SCHILY.xattr.*} and {@code LIBARCHIVE.xattr.*} with binary
 * values kept byte for byte, GNU sparse 0.0, 0.1 and 1.0).
 *
 * <p>It reads its input strictly in order and never skips with {@code skip()}, so a digest
 * computed on the input covers every byte. Format errors are {@link MalformedImageException}s
 * naming {@code source}; so are values no Linux file system can take (an empty xattr name, one
 * over 255 bytes, a value over 64 KiB, a sparse file over {@value #MAX_SPARSE_SIZE} bytes). Names,
 * link targets and xattr names that are not valid UTF-8 are refused with an {@link
 * UnsupportedFeatureException}: Java maps file names through UTF-8, so such a name would be
 * changed, or two names merged, on disk. Image-controlled text in messages is escaped with {@link
 * PrintableText}.
 */
public final class TarReader {
  private static final int BLOCK = 512;
  private static final long MAX_META = 1L << 20;
  /** The largest sparse file accepted: 16 TiB, the ext4 limit (4 KiB blocks). */
  static final long MAX_SPARSE_SIZE = 1L << 44;
  /** XATTR_NAME_MAX of Linux. */
  private static final int MAX_XATTR_NAME = 255;
  /** XATTR_SIZE_MAX of Linux. */
  private static final int MAX_XATTR_VALUE = 65536;
  private static final String SCHILY = "SCHILY.xattr.";
  private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

  private final InputStream in;
  private final String source;
  private final byte[] block = new byte[BLOCK];
  private final Map<String, byte[]> globalPax = new LinkedHashMap<>();
  private long offset;
  private long dataLeft;
  private long padding;
  private boolean ended;

  /**
   * Creates a reader.
   *
   * @param in the uncompressed tar stream
   * @param source the blob or layer name for messages
   */
  public TarReader(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  /**
   * Reads the next entry, skipping the unread data of the previous one.
   *
   * @return the entry, or {@code null} at the end of the archive
   * @throws IOException on read failure
   * @throws MalformedImageException when the archive is malformed
   * @throws UnsupportedFeatureException when a name, link target or xattr name is not UTF-8
   */
  public TarEntry next() throws IOException, MalformedImageException, UnsupportedFeatureException {
    if (ended) {
      return null;
    }
    discard(dataLeft + padding);
    dataLeft = 0;
    padding = 0;
    Map<String, byte[]> pax = new LinkedHashMap<>();
    List<Long> pax00Sparse = new ArrayList<>();
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      long headerOffset = offset;
      if (!readBlock()) {
        ended = true; // EOF without end-of-archive blocks: accepted, as Go's reader does
        return null;
      }
      if (isZero(block)) {
        if (!readBlock() || isZero(block)) {
          ended = true;
          return null;
        }
        throw malformed("a single zero block followed by data", headerOffset);
      }
      verifyChecksum(headerOffset);
      byte flag = block[156];
      long storedSize = number(124, 12, headerOffset);
      if (storedSize < 0) {
        throw malformed("negative size", headerOffset);
      }
      switch (flag) {
        case 'x':
          parsePax(readMeta(storedSize, headerOffset), pax, pax00Sparse, headerOffset);
          continue;
        case 'g':
          parsePax(readMeta(storedSize, headerOffset), globalPax, new ArrayList<>(), headerOffset);
          continue;
        case 'L':
          longName = cBytes(readMeta(storedSize, headerOffset));
          continue;
        case 'K':
          longLink = cBytes(readMeta(storedSize, headerOffset));
          continue;
        case 'V':
          discard(storedSize + pad(storedSize));
          continue;
        default:
          return entry(flag, storedSize, pax, pax00Sparse, longName, longLink, headerOffset);
      }
    }
  }

  /**
   * Returns the stored data of the current entry (for a sparse file: the regions back to back).
   *
   * @return a stream that ends at the entry's data end; closing it does nothing
   */
  public InputStream data() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (dataLeft <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, dataLeft));
        if (n < 0) {
          throw new EOFException("tar stream of " + source + " ends inside an entry's data");
        }
        dataLeft -= n;
        offset += n;
        return n;
      }
    };
  }

  private TarEntry entry(
      byte flag,
      long storedSize,
      Map<String, byte[]> localPax,
      List<Long> pax00Sparse,
      byte[] longName,
      byte[] longLink,
      long headerOffset)
      throws IOException, MalformedImageException, UnsupportedFeatureException {
    Map<String, byte[]> pax = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> g : globalPax.entrySet()) {
      String k = g.getKey();
      if (!k.equals("path") && !k.equals("linkpath") && !k.equals("size")
          && !k.startsWith("GNU.sparse.")) {
        pax.put(k, g.getValue());
      }
    }
    pax.putAll(localPax);
    boolean ustar = block[257] == 'u' && block[258] == 's' && block[259] == 't'
        && block[260] == 'a' && block[261] == 'r' && block[262] == 0;
    // Only the name that applies is decoded: a header field that a long name or a PAX record
    // overrides may be cut in the middle of a UTF-8 sequence.
    byte[] nameBytes = cBytes(block, 0, 100);
    if (ustar) {
      byte[] prefix = cBytes(block, 345, 155);
      if (prefix.length > 0) {
        nameBytes = concat(prefix, nameBytes);
      }
    }
    if (longName != null) {
      nameBytes = longName;
    }
    if (pax.containsKey("path")) {
      nameBytes = pax.get("path");
    }
    byte[] linkBytes = cBytes(block, 157, 100);
    if (longLink != null) {
      linkBytes = longLink;
    }
    if (pax.containsKey("linkpath")) {
      linkBytes = pax.get("linkpath");
    }

    int mode = (int) (number(100, 8, headerOffset) & 07777);
    long uid = pax.containsKey("uid") ? paxLong(pax, "uid", headerOffset) : number(108, 8, headerOffset);
    long gid = pax.containsKey("gid") ? paxLong(pax, "gid", headerOffset) : number(116, 8, headerOffset);
    long mtime = number(136, 12, headerOffset);
    long mtimeNanos = 0;
    if (pax.containsKey("mtime")) {
      String t = str(pax.get("mtime"));
      try {
        int dot = t.indexOf('.');
        mtime = Long.parseLong(dot < 0 ? t : t.substring(0, dot));
        if (dot >= 0) {
          String frac = (t.substring(dot + 1) + "000000000").substring(0, 9);
          mtimeNanos = Long.parseLong(frac);
          if (t.startsWith("-") && mtimeNanos > 0) {
            mtime -= 1;
            mtimeNanos = 1_000_000_000L - mtimeNanos;
          }
        }
      } catch (NumberFormatException e) {
        throw malformed("bad PAX mtime '" + PrintableText.name(t) + "'", headerOffset);
      }
    }
    if (pax.containsKey("size")) {
      storedSize = paxLong(pax, "size", headerOffset);
    }
    long devMajor = number(329, 8, headerOffset);
    long devMinor = number(337, 8, headerOffset);
    Map<String, byte[]> xattrs = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(LIBARCHIVE)) {
        String xname = text(percentDecode(k.substring(LIBARCHIVE.length()), headerOffset),
            "xattr name", nameBytes, headerOffset);
        byte[] value;
        try {
          value = Base64.getDecoder().decode(str(e.getValue()).trim());
        } catch (IllegalArgumentException ex) {
          throw malformed("bad base64 in " + PrintableText.name(k), headerOffset);
        }
        checkXattr(xname, value, nameBytes, headerOffset);
        xattrs.putIfAbsent(xname, value);
      }
    }
    for (Map.Entry<String, byte[]> e : pax.entrySet()) {
      if (e.getKey().startsWith(SCHILY)) {
        String xname = e.getKey().substring(SCHILY.length());
        checkXattr(xname, e.getValue(), nameBytes, headerOffset);
        xattrs.put(xname, e.getValue());
      }
    }
    boolean slash = nameBytes.length > 0 && nameBytes[nameBytes.length - 1] == '/';

    TarType type;
    List<SparseRegion> sparse = null;
    long size = storedSize;
    switch (flag) {
      case '0', 0, '7' -> type = slash && flag != '7' ? TarType.DIRECTORY : TarType.FILE;
      case '1' -> type = TarType.HARDLINK;
      case '2' -> type = TarType.SYMLINK;
      case '3' -> type = TarType.CHAR_DEVICE;
      case '4' -> type = TarType.BLOCK_DEVICE;
      case '5', 'D' -> type = TarType.DIRECTORY;
      case '6' -> type = TarType.FIFO;
      case 'S' -> {
        type = TarType.FILE;
        sparse = oldGnuSparse(headerOffset);
        size = number(483, 12, headerOffset);
      }
      default -> throw malformed(
          "unsupported entry type '" + PrintableText.name(String.valueOf((char) (flag & 0xff)))
              + "' (" + flag + ") for '" + PrintableText.name(nameBytes) + "'",
          headerOffset);
    }
    dataLeft = storedSize;
    padding = pad(storedSize);
    if (type == TarType.FILE
        && sparse == null
        && (pax.containsKey("GNU.sparse.major")
            || pax.containsKey("GNU.sparse.map")
            || !pax00Sparse.isEmpty())) {
      if (pax.containsKey("GNU.sparse.name")) {
        nameBytes = pax.get("GNU.sparse.name");
      }
      String major = pax.containsKey("GNU.sparse.major") ? str(pax.get("GNU.sparse.major")) : "0";
      if (major.equals("1")) {
        size = paxLong(pax, "GNU.sparse.realsize", headerOffset);
        sparse = pax1Map(headerOffset);
      } else {
        size = pax.containsKey("GNU.sparse.realsize")
            ? paxLong(pax, "GNU.sparse.realsize", headerOffset)
            : paxLong(pax, "GNU.sparse.size", headerOffset);
        List<Long> numbers = new ArrayList<>(pax00Sparse);
        if (pax.containsKey("GNU.sparse.map")) {
          numbers.clear();
          for (String s : str(pax.get("GNU.sparse.map")).split(",")) {
            if (!s.isEmpty()) {
              numbers.add(parseDecimal(s, headerOffset));
            }
          }
        }
        sparse = regions(numbers, headerOffset);
      }
    }
    if (sparse != null) {
      if (size < 0 || size > MAX_SPARSE_SIZE) {
        throw malformed("sparse file '" + PrintableText.name(nameBytes) + "' claims a size of "
            + size + " bytes (at most " + MAX_SPARSE_SIZE + " are accepted)", headerOffset);
      }
      long stored = 0;
      for (SparseRegion r : sparse) {
        if (r.offset() < 0 || r.length() < 0 || r.offset() > size - r.length()) {
          throw malformed("sparse region " + r + " of '" + PrintableText.name(nameBytes)
              + "' outside file size " + size, headerOffset);
        }
        stored += r.length();
      }
      if (stored != dataLeft) {
        throw malformed("sparse map of '" + PrintableText.name(nameBytes) + "' covers " + stored
            + " bytes but " + dataLeft + " are stored", headerOffset);
      }
    }
    String name = text(nameBytes, "entry name", nameBytes, headerOffset);
    String link = type == TarType.HARDLINK || type == TarType.SYMLINK
        ? text(linkBytes, "link target", nameBytes, headerOffset) : "";
    if (type != TarType.FILE) {
      size = type == TarType.DIRECTORY ? 0 : storedSize;
    }
    return new TarEntry(name, link, type, mode, uid, gid, mtime, mtimeNanos, size,
        devMajor, devMinor, xattrs, sparse);
  }

  private List<SparseRegion> oldGnuSparse(long headerOffset) throws IOException, MalformedImageException {
    List<Long> numbers = new ArrayList<>();
    byte[] header = block.clone();
    for (int i = 0; i < 4; i++) {
      addPair(header, 386 + i * 24, numbers, headerOffset);
    }
    boolean extended = header[482] != 0;
    while (extended) {
      if (!readBlock()) {
        throw malformed("truncated GNU sparse header", headerOffset);
      }
      for (int i = 0; i < 21; i++) {
        addPair(block, i * 24, numbers, headerOffset);
      }
      extended = block[504] != 0;
    }
    System.arraycopy(header, 0, block, 0, BLOCK);
    return regions(numbers, headerOffset);
  }

  private void addPair(byte[] b, int at, List<Long> out, long headerOffset) throws MalformedImageException {
    if (b[at] == 0 && b[at + 12] == 0) {
      return;
    }
    out.add(number(b, at, 12, headerOffset));
    out.add(number(b, at + 12, 12, headerOffset));
  }

  private List<SparseRegion> pax1Map(long headerOffset) throws IOException, MalformedImageException {
    // The map precedes the data: decimal lines, padded to a block; it counts in the stored size.
    long[] consumed = {0};
    long count = readMapLine(consumed, headerOffset);
    if (count < 0 || count > 1_000_000) {
      throw malformed("bad GNU sparse 1.0 map size " + count, headerOffset);
    }
    List<Long> numbers = new ArrayList<>();
    for (long i = 0; i < count * 2; i++) {
      numbers.add(readMapLine(consumed, headerOffset));
    }
    long rest = pad(consumed[0]);
    if (consumed[0] + rest > dataLeft) {
      throw malformed("GNU sparse 1.0 map longer than the entry", headerOffset);
    }
    discard(rest);
    dataLeft -= consumed[0] + rest;
    return regions(numbers, headerOffset);
  }

  private long readMapLine(long[] consumed, long headerOffset) throws IOException, MalformedImageException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("tar stream of " + source + " ends inside a sparse map");
      }
      offset++;
      consumed[0]++;
      if (consumed[0] > dataLeft || sb.length() > 20) {
        throw malformed("bad GNU sparse 1.0 map", headerOffset);
      }
      if (c == '\n') {
        return parseDecimal(sb.toString(), headerOffset);
      }
      sb.append((char) c);
    }
  }

  private List<SparseRegion> regions(List<Long> numbers, long headerOffset) throws MalformedImageException {
    if (numbers.size() % 2 != 0) {
      throw malformed("odd number of values in a sparse map", headerOffset);
    }
    List<SparseRegion> out = new ArrayList<>();
    for (int i = 0; i < numbers.size(); i += 2) {
      out.add(new SparseRegion(numbers.get(i), numbers.get(i + 1)));
    }
    return out;
  }

  private void parsePax(byte[] data, Map<String, byte[]> out, List<Long> pax00, long headerOffset)
      throws MalformedImageException, UnsupportedFeatureException {
    int pos = 0;
    while (pos < data.length) {
      if (data[pos] == 0) {
        break; // NUL padding after the last record
      }
      int sp = pos;
      while (sp < data.length && data[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, pos, sp - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw malformed("bad PAX record length", headerOffset);
      }
      int end = pos + len;
      if (len <= 0 || sp >= data.length || end > data.length || data[end - 1] != '\n') {
        throw malformed("bad PAX record", headerOffset);
      }
      int eq = sp + 1;
      while (eq < end && data[eq] != '=') {
        eq++;
      }
      if (eq >= end) {
        throw malformed("PAX record without '='", headerOffset);
      }
      String key = PrintableText.strictUtf8(data, sp + 1, eq - sp - 1);
      if (key == null) {
        byte[] raw = java.util.Arrays.copyOfRange(data, sp + 1, eq);
        boolean xattr = new String(raw, StandardCharsets.ISO_8859_1).startsWith(SCHILY);
        throw unsupported((xattr ? "xattr name in PAX record '" : "PAX record key '")
            + PrintableText.name(raw) + "' is not valid UTF-8", headerOffset);
      }
      byte[] value = java.util.Arrays.copyOfRange(data, eq + 1, end - 1);
      if (key.equals("GNU.sparse.offset") || key.equals("GNU.sparse.numbytes")) {
        pax00.add(parseDecimal(str(value), headerOffset));
      } else if (value.length == 0) {
        out.remove(key);
      } else {
        out.put(key, value);
      }
      pos = end;
    }
  }

  private byte[] readMeta(long size, long headerOffset) throws IOException, MalformedImageException {
    if (size > MAX_META) {
      throw malformed("extended header of " + size + " bytes", headerOffset);
    }
    byte[] data = readFully((int) size);
    discard(pad(size));
    return data;
  }

  private boolean readBlock() throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    offset += n;
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("tar stream of " + source + " ends inside a header block");
    }
    return true;
  }

  private byte[] readFully(int size) throws IOException {
    byte[] data = in.readNBytes(size);
    offset += data.length;
    if (data.length < size) {
      throw new EOFException("tar stream of " + source + " is truncated");
    }
    return data;
  }

  private void discard(long n) throws IOException {
    byte[] buf = new byte[8192];
    while (n > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n));
      if (r < 0) {
        throw new EOFException("tar stream of " + source + " is truncated");
      }
      n -= r;
      offset += r;
    }
  }

  private void verifyChecksum(long headerOffset) throws MalformedImageException {
    long stored = number(148, 8, headerOffset);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : block[i];
    }
    if (stored != unsigned && stored != signed) {
      throw malformed("header checksum mismatch", headerOffset);
    }
  }

  private long number(int at, int len, long headerOffset) throws MalformedImageException {
    return number(block, at, len, headerOffset);
  }

  private long number(byte[] b, int at, int len, long headerOffset) throws MalformedImageException {
    if ((b[at] & 0x80) != 0) {
      // base-256: big-endian two's complement with the top bit as the marker
      long v = b[at] & 0x7f;
      if ((b[at] & 0x40) != 0) {
        v |= ~0x7fL; // negative
      }
      for (int i = 1; i < len; i++) {
        if ((v >>> 55) != 0 && (v >>> 55) != 0x1ff) {
          throw malformed("base-256 number overflow", headerOffset);
        }
        v = (v << 8) | (b[at + i] & 0xff);
      }
      return v;
    }
    int i = at;
    int end = at + len;
    while (i < end && (b[i] == ' ' || b[i] == 0)) {
      i++;
    }
    long v = 0;
    for (; i < end && b[i] != ' ' && b[i] != 0; i++) {
      if (b[i] < '0' || b[i] > '7') {
        throw malformed("bad octal field at header byte " + (at), headerOffset);
      }
      v = (v << 3) | (b[i] - '0');
    }
    return v;
  }

  private long paxLong(Map<String, byte[]> pax, String key, long headerOffset) throws MalformedImageException {
    byte[] v = pax.get(key);
    if (v == null) {
      throw malformed("missing PAX record " + key, headerOffset);
    }
    return parseDecimal(str(v), headerOffset);
  }

  private long parseDecimal(String s, long headerOffset) throws MalformedImageException {
    try {
      long v = Long.parseLong(s.trim());
      if (v < 0) {
        throw malformed("negative number '" + PrintableText.name(s) + "'", headerOffset);
      }
      return v;
    } catch (NumberFormatException e) {
      throw malformed("bad number '" + PrintableText.name(s) + "'", headerOffset);
    }
  }

  private MalformedImageException malformed(String what, long headerOffset) {
    return new MalformedImageException(
        "malformed tar in " + source + " (header at byte " + headerOffset + "): " + what);
  }

  private UnsupportedFeatureException unsupported(String what, long headerOffset) {
    return new UnsupportedFeatureException(
        "unsupported tar entry in " + source + " (header at byte " + headerOffset + "): " + what
            + "; names that are not UTF-8 are not supported (Java maps file names through UTF-8,"
            + " so the name would be changed, or two names merged, on disk)");
  }

  /** Decodes image text as strict UTF-8, refusing the entry when it is not. */
  private String text(byte[] bytes, String what, byte[] entryName, long headerOffset)
      throws UnsupportedFeatureException {
    String s = PrintableText.strictUtf8(bytes, 0, bytes.length);
    if (s == null) {
      String subject = what + " '" + PrintableText.name(bytes) + "'";
      if (entryName != bytes) {
        subject += " of entry '" + PrintableText.name(entryName) + "'";
      }
      throw unsupported(subject + " is not valid UTF-8", headerOffset);
    }
    return s;
  }

  private void checkXattr(String xname, byte[] value, byte[] entryName, long headerOffset)
      throws MalformedImageException {
    String problem = null;
    if (xname.isEmpty()) {
      problem = "an empty name";
    } else if (xname.getBytes(StandardCharsets.UTF_8).length > MAX_XATTR_NAME) {
      problem = "a name over " + MAX_XATTR_NAME + " bytes";
    } else if (xname.indexOf('\0') >= 0) {
      problem = "a NUL byte in its name";
    } else if (value.length > MAX_XATTR_VALUE) {
      problem = "a value of " + value.length + " bytes (at most " + MAX_XATTR_VALUE + ")";
    }
    if (problem != null) {
      throw malformed("extended attribute '" + PrintableText.name(xname) + "' of '"
          + PrintableText.name(entryName) + "' has " + problem, headerOffset);
    }
  }

  /** Decodes libarchive's %XX escapes (only those: a {@code +} stays a plus). */
  private byte[] percentDecode(String s, long headerOffset) throws MalformedImageException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%') {
        int hi = i + 2 < b.length ? Character.digit(b[i + 1], 16) : -1;
        int lo = i + 2 < b.length ? Character.digit(b[i + 2], 16) : -1;
        if (hi < 0 || lo < 0) {
          throw malformed("bad %-escape in PAX record '" + LIBARCHIVE + PrintableText.name(s) + "'",
              headerOffset);
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[] prefix, byte[] name) {
    byte[] out = new byte[prefix.length + 1 + name.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    out[prefix.length] = '/';
    System.arraycopy(name, 0, out, prefix.length + 1, name.length);
    return out;
  }

  private static long pad(long size) {
    long r = size % BLOCK;
    return r == 0 ? 0 : BLOCK - r;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] cBytes(byte[] b) {
    return cBytes(b, 0, b.length);
  }

  private static byte[] cBytes(byte[] b, int at, int len) {
    int end = at;
    while (end < at + len && b[end] != 0) {
      end++;
    }
    return java.util.Arrays.copyOfRange(b, at, end);
  }
}
