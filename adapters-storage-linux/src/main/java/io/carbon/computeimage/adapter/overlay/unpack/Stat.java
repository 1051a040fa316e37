package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.adapter.overlay.linux.LinkStat;
import io.carbon.computeimage.adapter.overlay.linux.PosixFs;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

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
    LinkStat s = PosixFs.lstat(p);
    if (s == null) {
      return null;
    }
    return new Stat(s.mode(), s.uid(), s.gid(), s.rdev(),
        FileTime.from(Instant.ofEpochSecond(s.mtimeSeconds(), s.mtimeNanos())));
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
