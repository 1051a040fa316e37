package io.carbon.computeimage.adapter.overlay.unpack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What {@code lstat} says about a path.
 *
 * @param mode type and permission bits
 * @param uid owner
 * @param gid group
 * @param rdev device number
 * @param mtime modification time
 */
record Stat(int mode, int uid, int gid, long rdev, FileTime mtime) {
  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFLNK = 0120000;
  static final int S_IFREG = 0100000;
  static final int S_IFCHR = 0020000;

  /** lstat; {@code null} when the path does not exist. */
  static Stat of(Path p) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
    return new Stat(
        (Integer) a.get("mode"),
        (Integer) a.get("uid"),
        (Integer) a.get("gid"),
        (Long) a.get("rdev"),
        (FileTime) a.get("lastModifiedTime"));
  }

  boolean isDir() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  boolean isSymlink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  boolean isRegular() {
    return (mode & S_IFMT) == S_IFREG;
  }

  /** An overlayfs whiteout: a character device with device number 0/0. */
  boolean isWhiteout() {
    return (mode & S_IFMT) == S_IFCHR && rdev == 0;
  }
}
