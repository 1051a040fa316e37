package io.carbon.computeimage.adapter.overlay.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * Finds overlay mounts that use directories of an image, from {@code /proc/self/mountinfo}: an
 * image whose layers back a mounted overlay must not be deleted (the mount would lose its lower
 * directories and its writable upper directory).
 */
public final class OverlayMounts {
  private OverlayMounts() {}

  /**
   * Returns the first overlay mount whose {@code lowerdir}, {@code upperdir} or {@code workdir}
   * lies inside a directory, by absolute path only (relative paths are not resolved).
   *
   * @param mountinfo the lines of {@code /proc/self/mountinfo}
   * @param dir an absolute, normalized directory
   * @return the mount point using it, or empty
   */
  public static Optional<String> mountUsing(List<String> mountinfo, Path dir) {
    return mountUsing(mountinfo, dir, (mountPoint, candidate) -> false);
  }

  /**
   * Returns the first overlay mount that uses a directory. An absolute {@code lowerdir}, {@code
   * upperdir} or {@code workdir} inside {@code dir} decides by itself. A relative one was resolved
   * by the kernel against the working directory of whoever mounted it, which mountinfo does not
   * say: each directory of the image's own shape ({@code dir}, its children and grandchildren, such
   * as {@code layers/01} or {@code upper}) whose path ends with the relative path's names is a
   * candidate, and {@code showsThrough} decides whether the mount really shows it.
   *
   * @param mountinfo the lines of {@code /proc/self/mountinfo}
   * @param dir an absolute, normalized directory
   * @param showsThrough given a mount point and a candidate directory, whether the mount shows
   *     that directory's content (see {@link #showsContentOf})
   * @return the mount point using it, or empty
   */
  public static Optional<String> mountUsing(
      List<String> mountinfo, Path dir, BiPredicate<Path, Path> showsThrough) {
    List<Path> shape = null;
    for (String line : mountinfo) {
      int dash = line.indexOf(" - ");
      if (dash < 0) {
        continue;
      }
      String[] before = line.substring(0, dash).split(" ");
      String[] after = line.substring(dash + 3).split(" ");
      if (before.length < 5 || after.length < 3 || !after[0].equals("overlay")) {
        continue;
      }
      String mountPoint = unescapeOctal(before[4]);
      for (String dirOption : directories(after[2])) {
        Path p;
        try {
          p = Path.of(unescapeOctal(dirOption)).normalize();
        } catch (RuntimeException e) {
          continue; // not a path this platform can name
        }
        if (p.isAbsolute()) {
          if (p.startsWith(dir)) {
            return Optional.of(mountPoint);
          }
          continue;
        }
        if (shape == null) {
          shape = imageShape(dir);
        }
        Path names = withoutLeadingParents(p);
        for (Path candidate : shape) {
          if ((names.toString().isEmpty() || candidate.endsWith(names))
              && showsThrough.test(Path.of(mountPoint), candidate)) {
            return Optional.of(mountPoint);
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Whether an overlay mount shows the content of a directory: some entry of the directory (of the
   * first {@value #PROBED_ENTRIES}) appears at the same name in the mount as the same file. With all
   * layers on one filesystem, overlayfs reports a file's real inode number, size and time, so an
   * entry whose three agree is that entry seen through the mount. Only a positive answer is
   * certain: a directory whose entries are all hidden by upper layers, or layers on different
   * filesystems (where overlayfs remaps inode numbers), give false.
   *
   * @param mountPoint an overlay mount point
   * @param candidate a directory that may be one of its layers
   * @return whether the mount shows it
   */
  public static boolean showsContentOf(Path mountPoint, Path candidate) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(candidate)) {
      int seen = 0;
      for (Path entry : entries) {
        if (++seen > PROBED_ENTRIES) {
          return false;
        }
        Map<String, Object> real = Files.readAttributes(entry, "unix:ino,size,lastModifiedTime,mode", NOFOLLOW);
        if (((Integer) real.get("mode") & 0170000) == 0020000) {
          continue; // a character device: a whiteout, which the mount never shows
        }
        Path shown = mountPoint.resolve(entry.getFileName().toString());
        Map<String, Object> merged;
        try {
          merged = Files.readAttributes(shown, "unix:ino,size,lastModifiedTime", NOFOLLOW);
        } catch (IOException e) {
          continue; // hidden by an upper layer's whiteout, or not there
        }
        if (real.get("ino").equals(merged.get("ino"))
            && real.get("size").equals(merged.get("size"))
            && real.get("lastModifiedTime").equals(merged.get("lastModifiedTime"))) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static final int PROBED_ENTRIES = 64;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /** {@code dir}, its subdirectories and theirs: where an image keeps upper/, work/ and layers/NN. */
  private static List<Path> imageShape(Path dir) {
    List<Path> out = new ArrayList<>();
    out.add(dir);
    try (Stream<Path> children = Files.list(dir)) {
      for (Path child : (Iterable<Path>) children::iterator) {
        if (!Files.isDirectory(child, NOFOLLOW)) {
          continue;
        }
        out.add(child);
        try (Stream<Path> grandchildren = Files.list(child)) {
          grandchildren.filter(g -> Files.isDirectory(g, NOFOLLOW)).forEach(out::add);
        } catch (IOException | RuntimeException e) {
          // unreadable: nothing of it can be a candidate
        }
      }
    } catch (IOException | RuntimeException e) {
      // not there or unreadable: only dir itself
    }
    return out;
  }

  /** {@code ../../a/b} gives {@code a/b}; a normalized relative path has its '..' first. */
  private static Path withoutLeadingParents(Path p) {
    int i = 0;
    while (i < p.getNameCount() && p.getName(i).toString().equals("..")) {
      i++;
    }
    if (i == p.getNameCount()) {
      return Path.of("");
    }
    return p.subpath(i, p.getNameCount());
  }

  /**
   * Reads {@code /proc/self/mountinfo}; empty when it cannot be read (not Linux).
   *
   * @return its lines
   */
  public static List<String> read() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The directory paths of lowerdir (split at unescaped ':'), upperdir and workdir. */
  private static List<String> directories(String superOptions) {
    List<String> out = new ArrayList<>();
    for (String opt : splitUnescaped(superOptions, ',')) {
      int eq = opt.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = opt.substring(0, eq);
      String value = opt.substring(eq + 1);
      if (key.equals("lowerdir") || key.equals("lowerdir+") || key.equals("datadir+")) {
        for (String l : splitUnescaped(value, ':')) {
          out.add(l.replace("\\:", ":").replace("\\,", ",").replace("\\\\", "\\"));
        }
      } else if (key.equals("upperdir") || key.equals("workdir")) {
        out.add(value.replace("\\:", ":").replace("\\,", ",").replace("\\\\", "\\"));
      }
    }
    return out;
  }

  private static List<String> splitUnescaped(String s, char sep) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(c).append(s.charAt(++i));
      } else if (c == sep) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
  private static String unescapeOctal(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
  }
}
