package io.carbon.computeimage.adapter.overlay.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Linux file-system calls that act on a path without following a final symlink: device nodes,
 * ownership, mode, times and extended attributes (including {@code trusted.*} and {@code
 * security.*}, which NIO cannot write).
 *
 * <p>Every failure is an {@link IOException} naming the path, the call and the errno text.
 */
public final class PosixFs {
  /** File type bits of a character device. */
  public static final int S_IFCHR = 0020000;
  /** File type bits of a block device. */
  public static final int S_IFBLK = 0060000;
  /** File type bits of a FIFO. */
  public static final int S_IFIFO = 0010000;

  /** errno: operation not supported. */
  public static final int ENOTSUP = 95;
  /** errno: operation not permitted. */
  public static final int EPERM = 1;
  /** errno: no such attribute. */
  public static final int ENODATA = 61;
  /** errno: function not implemented. */
  public static final int ENOSYS = 38;

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static volatile boolean legacyMknod;
  /** Set when statx cannot be used (no glibc symbol, or the kernel refuses it): NIO instead. */
  private static volatile boolean noStatx;
  private static final int ENOENT = 2;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_SIZE = 256;

  private PosixFs() {}

  /**
   * Encodes a device number as glibc's {@code makedev} does.
   *
   * @param major the major number (at most 32 bits)
   * @param minor the minor number (at most 32 bits)
   * @return the {@code dev_t} value
   */
  public static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32)
        | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12)
        | (minor & 0xffL);
  }

  /**
   * Creates a device node or FIFO ({@code mknod(2)}), falling back to {@code __xmknod} on glibc
   * older than 2.33, which does not export {@code mknod}.
   *
   * @param path the node to create (must not exist)
   * @param mode file type bits and permissions
   * @param dev the device number from {@link #makedev}
   * @throws IOException when the call fails
   */
  public static void mknod(Path path, int mode, long dev) throws IOException {
    if (!legacyMknod) {
      try {
        Libc.Holder.INSTANCE.mknod(path.toString(), mode, dev);
        return;
      } catch (LastErrorException e) {
        throw failure("mknod", path, e);
      } catch (UnsatisfiedLinkError e) {
        legacyMknod = true;
      }
    }
    mknodLegacy(path, mode, dev);
  }

  /**
   * Creates a node through glibc's versioned {@code __xmknod} wrapper (glibc before 2.33).
   *
   * @param path the node to create
   * @param mode file type bits and permissions
   * @param dev the device number
   * @throws IOException when the call fails
   */
  public static void mknodLegacy(Path path, int mode, long dev) throws IOException {
    try {
      // _MKNOD_VER is 0 on the 64-bit Linux ABIs.
      Libc.Holder.INSTANCE.__xmknod(0, path.toString(), mode, new long[] {dev});
    } catch (LastErrorException e) {
      throw failure("__xmknod", path, e);
    }
  }

  /**
   * Changes the owner of a path without following a final symlink.
   *
   * @param path the path
   * @param uid the user id
   * @param gid the group id
   * @throws IOException when the call fails
   */
  public static void lchown(Path path, int uid, int gid) throws IOException {
    try {
      LibcDirect.lchown(path.toString(), uid, gid);
    } catch (LastErrorException e) {
      throw failure("lchown", path, e);
    }
  }

  /**
   * Sets the permission bits, including setuid, setgid and sticky; never call it on a symlink.
   *
   * @param path a non-symlink path
   * @param mode the bits (masked to 07777)
   * @throws IOException when the call fails
   */
  public static void chmod(Path path, int mode) throws IOException {
    try {
      LibcDirect.chmod(path.toString(), mode & 07777);
    } catch (LastErrorException e) {
      throw failure("chmod", path, e);
    }
  }

  /**
   * Creates a symlink with exactly the given target text (no normalisation).
   *
   * @param target the link text
   * @param link the link to create
   * @throws IOException when the call fails
   */
  public static void symlink(String target, Path link) throws IOException {
    try {
      LibcDirect.symlink(target, link.toString());
    } catch (LastErrorException e) {
      throw failure("symlink", link, e);
    }
  }

  /**
   * Sets access and modification time of a path itself (symlinks included).
   *
   * @param path the path
   * @param seconds seconds since the epoch
   * @param nanos nanoseconds
   * @throws IOException when the call fails
   */
  public static void setTimesNoFollow(Path path, long seconds, long nanos) throws IOException {
    try {
      LibcDirect.utimensat(
          AT_FDCWD, path.toString(), new long[] {seconds, nanos, seconds, nanos},
          AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw failure("utimensat", path, e);
    }
  }

  /**
   * Sets an extended attribute on a path itself ({@code lsetxattr}).
   *
   * @param path the path
   * @param name the attribute name, e.g. {@code trusted.overlay.opaque}
   * @param value the value bytes
   * @throws IOException when the call fails
   */
  public static void setXattr(Path path, String name, byte[] value) throws IOException {
    int err = trySetXattr(path, name, value);
    if (err != 0) {
      throw new IOException("lsetxattr " + name + " on " + path + ": " + describe(err));
    }
  }

  /**
   * Sets an extended attribute on a path itself, returning the errno instead of throwing.
   *
   * @param path the path
   * @param name the attribute name
   * @param value the value bytes
   * @return 0 on success, else the errno
   */
  public static int trySetXattr(Path path, String name, byte[] value) {
    try {
      LibcDirect.lsetxattr(
          path.toString(), name, value, new NativeLong(value.length), 0);
      return 0;
    } catch (LastErrorException e) {
      return e.getErrorCode();
    }
  }

  /**
   * Describes an errno value.
   *
   * @param err the errno
   * @return the libc text and the number
   */
  public static String describe(int err) {
    String text;
    try {
      text = Libc.Holder.INSTANCE.strerror(err);
    } catch (RuntimeException | UnsatisfiedLinkError ex) {
      text = "error";
    }
    return text + " (errno " + err + ")";
  }

  /**
   * Reads an extended attribute of a path itself.
   *
   * @param path the path
   * @param name the attribute name
   * @return the value, or empty when the attribute is absent or unsupported
   * @throws IOException on other failures
   */
  public static Optional<byte[]> getXattr(Path path, String name) throws IOException {
    Libc c = Libc.Holder.INSTANCE;
    for (int attempt = 0; attempt < 4; attempt++) {
      try {
        long size = c.lgetxattr(path.toString(), name, null, new NativeLong(0)).longValue();
        byte[] buf = new byte[(int) size];
        long got = c.lgetxattr(path.toString(), name, buf, new NativeLong(size)).longValue();
        if (got == size) {
          return Optional.of(buf);
        }
      } catch (LastErrorException e) {
        int err = e.getErrorCode();
        if (err == ENODATA || err == ENOTSUP) {
          return Optional.empty();
        }
        if (err != 34 /* ERANGE: value grew, retry */) {
          throw failure("lgetxattr " + name, path, e);
        }
      }
    }
    throw new IOException("lgetxattr " + name + " on " + path + ": value keeps changing");
  }

  /**
   * Lists the extended attribute names of a path itself.
   *
   * @param path the path
   * @return the names (empty when none or unsupported)
   * @throws IOException on failure
   */
  public static List<String> listXattrs(Path path) throws IOException {
    Libc c = Libc.Holder.INSTANCE;
    byte[] buf;
    try {
      long size = c.llistxattr(path.toString(), null, new NativeLong(0)).longValue();
      if (size == 0) {
        return List.of();
      }
      buf = new byte[(int) size + 256];
      size = c.llistxattr(path.toString(), buf, new NativeLong(buf.length)).longValue();
      List<String> names = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < size; i++) {
        if (buf[i] == 0) {
          if (i > start) {
            names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
          }
          start = i + 1;
        }
      }
      return names;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ENOTSUP) {
        return List.of();
      }
      throw failure("llistxattr", path, e);
    }
  }

  /**
   * Removes an extended attribute from a path itself; absent attributes are ignored.
   *
   * @param path the path
   * @param name the attribute name
   * @throws IOException on failure
   */
  public static void removeXattr(Path path, String name) throws IOException {
    try {
      Libc.Holder.INSTANCE.lremovexattr(path.toString(), name);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != ENODATA) {
        throw failure("lremovexattr " + name, path, e);
      }
    }
  }

  /**
   * Returns the effective user id of the process.
   *
   * @return the euid, 0 for root
   */
  public static int geteuid() {
    return Libc.Holder.INSTANCE.geteuid();
  }

  /**
   * {@code lstat} through {@code statx(2)}: one system call, no attribute map. Falls back to NIO's
   * {@code unix:} attributes where statx is not available.
   *
   * @param path the path (a final symlink is not followed)
   * @return what it reports, or {@code null} when the path does not exist
   * @throws IOException when the call fails otherwise (for example a component is not a
   *     directory, or permission is denied)
   */
  public static LinkStat lstat(Path path) throws IOException {
    if (!noStatx) {
      byte[] buf = new byte[STATX_SIZE];
      try {
        if (LibcStatx.statx(AT_FDCWD, path.toString(), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS,
            buf) == 0) {
          return fromStatx(buf);
        }
        int errno = com.sun.jna.Native.getLastError();
        if (errno == ENOENT) {
          return null;
        }
        if (errno != ENOSYS && errno != EPERM) {
          throw failure("statx", path, new LastErrorException(errno));
        }
        noStatx = true; // the kernel or a seccomp filter refuses statx
      } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
        noStatx = true; // glibc older than 2.28
      }
    }
    return lstatNio(path);
  }

  /** Decodes a {@code struct statx} (the same layout on every architecture, native byte order). */
  static LinkStat fromStatx(byte[] buf) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.nativeOrder());
    int uid = b.getInt(20);
    int gid = b.getInt(24);
    int mode = b.getShort(28) & 0xffff;
    long mtimeSeconds = b.getLong(112);
    int mtimeNanos = b.getInt(120);
    long rdev = makedev(b.getInt(128) & 0xffffffffL, b.getInt(132) & 0xffffffffL);
    return new LinkStat(mode, uid, gid, rdev, mtimeSeconds, mtimeNanos);
  }

  /** The NIO path of {@link #lstat} (also what tests compare statx with). */
  static LinkStat lstatNio(Path path) throws IOException {
    java.util.Map<String, Object> a;
    try {
      a = java.nio.file.Files.readAttributes(path, "unix:mode,uid,gid,rdev,lastModifiedTime",
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    java.time.Instant t = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toInstant();
    return new LinkStat((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
        (Long) a.get("rdev"), t.getEpochSecond(), t.getNano());
  }

  private static IOException failure(String call, Path path, LastErrorException e) {
    return new IOException(call + " " + path + ": " + describe(e), e);
  }

  private static String describe(LastErrorException e) {
    return describe(e.getErrorCode());
  }
}
