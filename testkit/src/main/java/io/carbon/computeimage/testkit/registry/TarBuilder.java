package io.carbon.computeimage.testkit.registry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds small ustar archives by hand, for layers with exact shapes.
 *
 * <p>Names must fit ustar's 100-byte name field; no PAX headers are written.
 */
public final class TarBuilder {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private long mtime = 1_700_000_000L;

  /**
   * Sets the mtime of the entries added next.
   *
   * @param epochSeconds seconds since the epoch
   * @return this
   */
  public TarBuilder mtime(long epochSeconds) {
    this.mtime = epochSeconds;
    return this;
  }

  /**
   * Adds a directory.
   *
   * @param name the path, for example {@code etc/}
   * @param mode permission bits
   * @return this
   */
  public TarBuilder dir(String name, int mode) {
    header(name.endsWith("/") ? name : name + "/", mode, 0, 0, 0, '5', "");
    return this;
  }

  /**
   * Adds a regular file.
   *
   * @param name the path
   * @param content the content
   * @param mode permission bits
   * @return this
   */
  public TarBuilder file(String name, byte[] content, int mode) {
    return file(name, content, mode, 0, 0);
  }

  /**
   * Adds a regular file with an owner.
   *
   * @param name the path
   * @param content the content
   * @param mode permission bits (setuid 04000 included)
   * @param uid owner
   * @param gid group
   * @return this
   */
  public TarBuilder file(String name, byte[] content, int mode, int uid, int gid) {
    header(name, mode, uid, gid, content.length, '0', "");
    out.writeBytes(content);
    pad(content.length);
    return this;
  }

  /**
   * Adds a text file with mode 0644.
   *
   * @param name the path
   * @param text UTF-8 content
   * @return this
   */
  public TarBuilder file(String name, String text) {
    return file(name, text.getBytes(StandardCharsets.UTF_8), 0644);
  }

  /**
   * Adds a symbolic link.
   *
   * @param name the path
   * @param target the link target
   * @return this
   */
  public TarBuilder symlink(String name, String target) {
    header(name, 0777, 0, 0, 0, '2', target);
    return this;
  }

  /**
   * Adds a hard link.
   *
   * @param name the path
   * @param target the path linked to, as stored in the archive
   * @return this
   */
  public TarBuilder hardlink(String name, String target) {
    header(name, 0644, 0, 0, 0, '1', target);
    return this;
  }

  /** @return the archive, with the two zero end blocks */
  public byte[] build() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(new byte[1024]);
    return copy.toByteArray();
  }

  private void header(String name, int mode, int uid, int gid, long size, char type, String link) {
    byte[] h = new byte[512];
    put(h, 0, 100, name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 157, 100, link);
    put(h, 257, 6, "ustar");
    h[262] = 0;
    h[263] = '0';
    h[264] = '0';
    put(h, 265, 32, "root");
    put(h, 297, 32, "root");
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    String s = String.format("%06o", sum);
    put(h, 148, 6, s);
    h[154] = 0;
    h[155] = ' ';
    out.writeBytes(h);
  }

  private void pad(long size) {
    int rem = (int) (size % 512);
    if (rem != 0) {
      out.writeBytes(new byte[512 - rem]);
    }
  }

  private static void put(byte[] h, int off, int len, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > len) {
      throw new IllegalArgumentException("too long for ustar: " + s);
    }
    System.arraycopy(b, 0, h, off, b.length);
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = String.format("%0" + (len - 1) + "o", v);
    put(h, off, len - 1, s);
    h[off + len - 1] = 0;
  }
}
