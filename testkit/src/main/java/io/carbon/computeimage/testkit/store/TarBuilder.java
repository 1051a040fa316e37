package io.carbon.computeimage.testkit.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes tar archives byte for byte, including the odd shapes layer unpackers must survive: PAX
 * records with binary xattr values ({@code SCHILY.xattr.*}), {@code LIBARCHIVE.xattr.*}, GNU long
 * names, PAX global headers, GNU sparse 1.0 files, duplicate entries, whiteouts and trailing data.
 *
 * <pre>{@code
 * byte[] tar = new TarBuilder()
 *     .dir("etc/").file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").mode(0644)
 *     .symlink("lib", "usr/lib").whiteout("old").build();
 * }</pre>
 */
public final class TarBuilder {
  private static final int BLOCK = 512;

  private final List<Entry> entries = new ArrayList<>();
  private final ByteArrayOutputStream raw = new ByteArrayOutputStream();
  private byte[] trailing = new byte[0];
  private boolean gnuLongNames;
  private boolean endBlocks = true;

  /** One entry under construction; every setter returns it for chaining. */
  public final class Entry {
    private final String name;
    private final char type;
    private String link = "";
    private int mode;
    private long uid;
    private long gid;
    private long mtime = 1_600_000_000L;
    private long devMajor;
    private long devMinor;
    private byte[] data = new byte[0];
    private final Map<String, byte[]> pax = new LinkedHashMap<>();
    private String sparseMap;

    private Entry(String name, char type, int mode) {
      this.name = name;
      this.type = type;
      this.mode = mode;
    }

    /** @param m the permission bits (07777 range) @return this */
    public Entry mode(int m) {
      mode = m;
      return this;
    }

    /** @param u user id @param g group id @return this */
    public Entry owner(long u, long g) {
      uid = u;
      gid = g;
      return this;
    }

    /** @param seconds modification time @return this */
    public Entry mtime(long seconds) {
      mtime = seconds;
      return this;
    }

    /** @param seconds seconds @param nanos nanoseconds (written as a PAX mtime record) @return this */
    public Entry mtime(long seconds, long nanos) {
      mtime = seconds;
      pax.put("mtime", String.format("%d.%09d", seconds, nanos).getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** @param xname attribute name @param value raw value (SCHILY.xattr PAX record) @return this */
    public Entry xattr(String xname, byte[] value) {
      pax.put("SCHILY.xattr." + xname, value);
      return this;
    }

    /**
     * Adds a {@code LIBARCHIVE.xattr.*} record the way libarchive writes it: the name with bytes
     * outside {@code !..~}, {@code %} and {@code =} as {@code %XX}, the value in base64.
     *
     * @param xname attribute name
     * @param value raw value
     * @return this
     */
    public Entry libarchiveXattr(String xname, byte[] value) {
      StringBuilder encoded = new StringBuilder();
      for (byte b : xname.getBytes(StandardCharsets.UTF_8)) {
        int c = b & 0xff;
        if (c < 33 || c > 126 || c == '%' || c == '=') {
          encoded.append(String.format("%%%02X", c));
        } else {
          encoded.append((char) c);
        }
      }
      pax.put("LIBARCHIVE.xattr." + encoded,
          Base64.getEncoder().encodeToString(value).getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    /** @param key PAX key @param value raw value @return this */
    public Entry pax(String key, byte[] value) {
      pax.put(key, value);
      return this;
    }

    /** @return the builder, to add the next entry */
    public TarBuilder and() {
      return TarBuilder.this;
    }

    /** @return the archive bytes (see {@link TarBuilder#build()}) */
    public byte[] build() {
      return TarBuilder.this.build();
    }

    // Delegates so chains read naturally.
    /** @see TarBuilder#dir(String) */
    public Entry dir(String n) {
      return TarBuilder.this.dir(n);
    }

    /** @see TarBuilder#file(String, String) */
    public Entry file(String n, String content) {
      return TarBuilder.this.file(n, content);
    }

    /** @see TarBuilder#file(String, byte[]) */
    public Entry file(String n, byte[] content) {
      return TarBuilder.this.file(n, content);
    }

    /** @see TarBuilder#symlink(String, String) */
    public Entry symlink(String n, String target) {
      return TarBuilder.this.symlink(n, target);
    }

    /** @see TarBuilder#hardlink(String, String) */
    public Entry hardlink(String n, String target) {
      return TarBuilder.this.hardlink(n, target);
    }

    /** @see TarBuilder#whiteout(String) */
    public Entry whiteout(String path) {
      return TarBuilder.this.whiteout(path);
    }

    /** @see TarBuilder#opaque(String) */
    public Entry opaque(String dirPath) {
      return TarBuilder.this.opaque(dirPath);
    }
  }

  /** @param name directory name (a trailing slash is conventional) @return the entry */
  public Entry dir(String name) {
    return add(new Entry(name, '5', 0755));
  }

  /** @param name file name @param content UTF-8 content @return the entry */
  public Entry file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** @param name file name @param content the bytes @return the entry */
  public Entry file(String name, byte[] content) {
    Entry e = add(new Entry(name, '0', 0644));
    e.data = content.clone();
    return e;
  }

  /** @param name link name @param target link text, kept verbatim @return the entry */
  public Entry symlink(String name, String target) {
    Entry e = add(new Entry(name, '2', 0777));
    e.link = target;
    return e;
  }

  /** @param name link name @param target the earlier entry's name @return the entry */
  public Entry hardlink(String name, String target) {
    Entry e = add(new Entry(name, '1', 0644));
    e.link = target;
    return e;
  }

  /** @param name node name @param major major @param minor minor @return the entry */
  public Entry charDevice(String name, long major, long minor) {
    Entry e = add(new Entry(name, '3', 0666));
    e.devMajor = major;
    e.devMinor = minor;
    return e;
  }

  /** @param name node name @param major major @param minor minor @return the entry */
  public Entry blockDevice(String name, long major, long minor) {
    Entry e = add(new Entry(name, '4', 0660));
    e.devMajor = major;
    e.devMinor = minor;
    return e;
  }

  /** @param name FIFO name @return the entry */
  public Entry fifo(String name) {
    return add(new Entry(name, '6', 0644));
  }

  /** @param path the deleted path; writes {@code dir/.wh.base} @return the entry */
  public Entry whiteout(String path) {
    int slash = path.lastIndexOf('/');
    String dir = slash < 0 ? "" : path.substring(0, slash + 1);
    return file(dir + ".wh." + path.substring(slash + 1), new byte[0]);
  }

  /** @param dirPath the directory; writes {@code dirPath/.wh..wh..opq} @return the entry */
  public Entry opaque(String dirPath) {
    String d = dirPath.isEmpty() || dirPath.endsWith("/") ? dirPath : dirPath + "/";
    return file(d + ".wh..wh..opq", new byte[0]);
  }

  /**
   * Adds a GNU sparse 1.0 (PAX) file.
   *
   * @param name file name
   * @param realSize the logical size
   * @param regions pairs of offset and data, in ascending offsets
   * @return the entry
   */
  public Entry sparse(String name, long realSize, Map<Long, byte[]> regions) {
    Entry e = add(new Entry(name, '0', 0644));
    StringBuilder map = new StringBuilder().append(regions.size()).append('\n');
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<Long, byte[]> r : regions.entrySet()) {
      map.append(r.getKey()).append('\n').append(r.getValue().length).append('\n');
      data.writeBytes(r.getValue());
    }
    byte[] mapBytes = map.toString().getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(mapBytes);
    all.writeBytes(new byte[pad(mapBytes.length)]);
    all.writeBytes(data.toByteArray());
    e.data = all.toByteArray();
    e.sparseMap = name;
    e.pax.put("GNU.sparse.major", "1".getBytes(StandardCharsets.US_ASCII));
    e.pax.put("GNU.sparse.minor", "0".getBytes(StandardCharsets.US_ASCII));
    e.pax.put("GNU.sparse.name", name.getBytes(StandardCharsets.UTF_8));
    e.pax.put("GNU.sparse.realsize", Long.toString(realSize).getBytes(StandardCharsets.US_ASCII));
    return e;
  }

  /**
   * Adds a PAX global header at this position.
   *
   * @param records the records
   * @return this builder
   */
  public TarBuilder globalPax(Map<String, String> records) {
    Entry e = new Entry("pax_global_header", 'g', 0644);
    for (Map.Entry<String, String> r : records.entrySet()) {
      e.pax.put(r.getKey(), r.getValue().getBytes(StandardCharsets.UTF_8));
    }
    entries.add(e);
    return this;
  }

  /** Writes long names as GNU {@code ././@LongLink} entries instead of PAX records. @return this */
  public TarBuilder gnuLongNames() {
    gnuLongNames = true;
    return this;
  }

  /** @param bytes appended after the end-of-archive blocks @return this */
  public TarBuilder trailing(byte[] bytes) {
    trailing = bytes.clone();
    return this;
  }

  /** Omits the two end-of-archive blocks. @return this */
  public TarBuilder withoutEndBlocks() {
    endBlocks = false;
    return this;
  }

  /** @return the archive */
  public byte[] build() {
    raw.reset();
    for (Entry e : entries) {
      write(e);
    }
    if (endBlocks) {
      raw.writeBytes(new byte[2 * BLOCK]);
    }
    raw.writeBytes(trailing);
    return raw.toByteArray();
  }

  /** @param data bytes @return a single gzip member */
  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private Entry add(Entry e) {
    entries.add(e);
    return e;
  }

  private void write(Entry e) {
    Map<String, byte[]> pax = new LinkedHashMap<>();
    byte[] nameBytes = e.name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = e.link.getBytes(StandardCharsets.UTF_8);
    if (e.type == 'g') {
      writeHeader("pax_global_header", "", 'g', 0644, 0, 0, e.mtime, paxBytes(e.pax).length, 0, 0);
      writeData(paxBytes(e.pax));
      return;
    }
    if (nameBytes.length > 100) {
      if (gnuLongNames) {
        byte[] n = cstr(nameBytes);
        writeHeader("././@LongLink", "", 'L', 0, 0, 0, 0, n.length, 0, 0);
        writeData(n);
      } else {
        pax.put("path", nameBytes);
      }
    }
    if (linkBytes.length > 100) {
      if (gnuLongNames) {
        byte[] n = cstr(linkBytes);
        writeHeader("././@LongLink", "", 'K', 0, 0, 0, 0, n.length, 0, 0);
        writeData(n);
      } else {
        pax.put("linkpath", linkBytes);
      }
    }
    if (e.uid > 07777777) {
      pax.put("uid", Long.toString(e.uid).getBytes(StandardCharsets.US_ASCII));
    }
    if (e.gid > 07777777) {
      pax.put("gid", Long.toString(e.gid).getBytes(StandardCharsets.US_ASCII));
    }
    pax.putAll(e.pax);
    String headerName = e.name;
    if (e.sparseMap != null) {
      int slash = e.name.lastIndexOf('/');
      headerName = (slash < 0 ? "" : e.name.substring(0, slash + 1)) + "GNUSparseFile.0/"
          + e.name.substring(slash + 1);
    }
    if (!pax.isEmpty()) {
      byte[] p = paxBytes(pax);
      writeHeader("PaxHeaders/" + truncate(headerName, 80), "", 'x', 0644, 0, 0, e.mtime, p.length, 0, 0);
      writeData(p);
    }
    writeHeader(truncate(headerName, 100), truncate(e.link, 100), e.type, e.mode,
        Math.min(e.uid, 07777777), Math.min(e.gid, 07777777), e.mtime, e.data.length,
        e.devMajor, e.devMinor);
    writeData(e.data);
  }

  private void writeHeader(String name, String link, char type, int mode, long uid, long gid,
      long mtime, long size, long major, long minor) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
    put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] cs = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(cs, 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    raw.writeBytes(h);
  }

  private void writeData(byte[] data) {
    raw.writeBytes(data);
    raw.writeBytes(new byte[pad(data.length)]);
  }

  private static byte[] paxBytes(Map<String, byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> r : records.entrySet()) {
      byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
      int body = 1 + key.length + 1 + r.getValue().length + 1;
      int len = body + Integer.toString(body).length();
      if (Integer.toString(len).length() != Integer.toString(body).length()) {
        len++;
      }
      out.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(key);
      out.write('=');
      out.writeBytes(r.getValue());
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static void octal(byte[] h, int at, int len, long v) {
    String s = Long.toOctalString(v);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value " + v + " does not fit " + len + " octal bytes");
    }
    s = "0".repeat(len - 1 - s.length()) + s;
    put(h, at, len, s.getBytes(StandardCharsets.US_ASCII));
  }

  private static void put(byte[] h, int at, int len, byte[] v) {
    System.arraycopy(v, 0, h, at, Math.min(len, v.length));
  }

  private static byte[] cstr(byte[] b) {
    byte[] out = new byte[b.length + 1];
    System.arraycopy(b, 0, out, 0, b.length);
    return out;
  }

  private static String truncate(String s, int maxBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return b.length <= maxBytes ? s : new String(b, 0, maxBytes, StandardCharsets.UTF_8);
  }

  private static int pad(long n) {
    long r = n % BLOCK;
    return r == 0 ? 0 : (int) (BLOCK - r);
  }
}
