package io.carbon.computeimage.adapter.overlay.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds overlay mounts that use directories of an image, from the mount tables of every mount
 * namespace ({@code /proc/<pid>/mountinfo}): an image whose layers back a mounted overlay must not
 * be deleted (the mount would lose its lower directories and its writable upper directory).
 *
 * <p>A {@code lowerdir}, {@code upperdir} or {@code workdir} given as an absolute path is found
 * by its text, and by identity (device and inode) of the path or one of its parents, so a mount
 * made through a symbolic link or a bind mount of the root, or of a subdirectory of a layer, is
 * found too. The kernel records a relative path as written, not where it led; for those, the
 * image's own directories whose paths could end with it are probed: the mount uses one when it
 * shows that directory (overlayfs gives the merged root the upper directory's inode number) or
 * one of its entries as the same file (overlayfs reports a file's or directory's original inode
 * number when all layers are on one file system).
 */
public final class OverlayMounts {
  private OverlayMounts() {}

  /** How many entries of a candidate directory are compared with the mount. */
  private static final int PROBED_ENTRIES = 64;
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  /**
   * The mount table of one mount namespace.
   *
   * @param root where that namespace's root is seen from here ({@code /}, or {@code
   *     /proc/<pid>/root} for another namespace)
   * @param where appended to a mount point to say which namespace it is in ({@code ""} for ours)
   * @param lines the lines of its {@code mountinfo}
   */
  public record Table(Path root, String where, List<String> lines) {
    /** Copies the lines. */
    public Table {
      lines = List.copyOf(lines);
    }

    /**
     * The table of this process's namespace.
     *
     * @param lines its mountinfo lines
     * @return the table
     */
    public static Table own(List<String> lines) {
      return new Table(Path.of("/"), "", lines);
    }
  }

  /** What the search needs from the file system; tests give their own. */
  public interface Probe {
    /**
     * @param p a path (links followed)
     * @return the identity (device and inode) of the file there, or null when there is none
     */
    Object identity(Path p);

    /**
     * @param mountPoint an overlay mount point
     * @param candidate a directory that may be one of its layers
     * @return whether the mount shows that directory's content
     */
    boolean showsContentOf(Path mountPoint, Path candidate);

    /**
     * @param dir an image directory
     * @return {@code dir} and the directories below it a relative layer path may name
     */
    List<Path> shape(Path dir);
  }

  /** The real file system. */
  public static final Probe FILE_SYSTEM =
      new Probe() {
        @Override
        public Object identity(Path p) {
          try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
          } catch (IOException | RuntimeException e) {
            return null;
          }
        }

        @Override
        public boolean showsContentOf(Path mountPoint, Path candidate) {
          return OverlayMounts.showsContentOf(mountPoint, candidate);
        }

        @Override
        public List<Path> shape(Path dir) {
          return imageShape(dir);
        }
      };

  /** Text only: no path is looked at, so relative paths and aliases are never matched. */
  static final Probe TEXT_ONLY =
      new Probe() {
        @Override
        public Object identity(Path p) {
          return null;
        }

        @Override
        public boolean showsContentOf(Path mountPoint, Path candidate) {
          return false;
        }

        @Override
        public List<Path> shape(Path dir) {
          return List.of(dir);
        }
      };

  /**
   * Returns the first overlay mount of this namespace whose {@code lowerdir}, {@code upperdir} or
   * {@code workdir} lies inside a directory, by the text of absolute paths only.
   *
   * @param mountinfo the lines of {@code /proc/self/mountinfo}
   * @param dir an absolute, normalized directory
   * @return the mount point using it, or empty
   */
  public static Optional<String> mountUsing(List<String> mountinfo, Path dir) {
    return mountUsing(List.of(Table.own(mountinfo)), dir, TEXT_ONLY);
  }

  /**
   * Returns the first overlay mount that uses a directory (see the class description).
   *
   * @param tables the mount tables to search, this namespace's first
   * @param dir an absolute, normalized directory
   * @param probe the file-system checks
   * @return the mount point using it (with the namespace when not ours), or empty
   */
  public static Optional<String> mountUsing(List<Table> tables, Path dir, Probe probe) {
    Object dirIdentity = probe.identity(dir);
    List<Path> shape = null;
    for (Table table : tables) {
      boolean own = table.where().isEmpty();
      for (String line : table.lines()) {
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
        Path seenMountPoint = inside(table.root(), mountPoint);
        for (String dirOption : directories(after[2])) {
          Path p;
          try {
            p = Path.of(dirOption).normalize();
          } catch (RuntimeException e) {
            continue; // not a path this platform can name
          }
          boolean uses;
          if (p.isAbsolute()) {
            uses = (own && p.startsWith(dir))
                || (dirIdentity != null && hasAncestor(inside(table.root(), p.toString()), dirIdentity, probe));
          } else {
            if (shape == null) {
              shape = probe.shape(dir);
            }
            uses = false;
            for (Path candidate : candidates(shape, p)) {
              if (probe.showsContentOf(seenMountPoint, candidate)) {
                uses = true;
                break;
              }
            }
          }
          if (uses) {
            return Optional.of(mountPoint + table.where());
          }
        }
      }
    }
    return Optional.empty();
  }

  /** {@code root} + an absolute path of that namespace. */
  private static Path inside(Path root, String absolute) {
    String relative = absolute.startsWith("/") ? absolute.substring(1) : absolute;
    return relative.isEmpty() ? root : root.resolve(relative);
  }

  /** Whether {@code p} or a parent of it is the file with identity {@code target}. */
  private static boolean hasAncestor(Path p, Object target, Probe probe) {
    for (Path a = p; a != null; a = a.getParent()) {
      if (target.equals(probe.identity(a))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The directories a relative layer path may have named: for each directory of the image's shape
   * whose path ends with the first names of the relative path, that directory with the rest of
   * the names (so {@code layers/01/usr} gives {@code <dir>/layers/01/usr}, and {@code usr}, from
   * a mount made inside {@code layers/01}, gives it too).
   */
  static List<Path> candidates(List<Path> shape, Path relative) {
    Path names = withoutLeadingParents(relative.normalize());
    int n = names.toString().isEmpty() ? 0 : names.getNameCount();
    Set<Path> out = new LinkedHashSet<>();
    for (Path d : shape) {
      for (int k = 0; k <= n; k++) {
        if (k > 0 && !d.endsWith(names.subpath(0, k))) {
          continue;
        }
        out.add(k == n ? d : d.resolve(names.subpath(k, n)));
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Whether an overlay mount shows the content of a directory: the mount's root is that directory
   * (overlayfs gives the merged root the upper directory's inode number, or the top lower
   * directory's), or one of the directory's entries (of the first {@value #PROBED_ENTRIES}) is the
   * same kind of file with the same inode number at the same name in the mount (overlayfs reports
   * a file's original inode number, also after a copy-up, when all layers are on one file system).
   * Only a positive answer is certain: layers on different file systems, where overlayfs remaps
   * inode numbers, or entries all hidden by upper layers, give false.
   *
   * @param mountPoint an overlay mount point
   * @param candidate a directory that may be one of its layers
   * @return whether the mount shows it
   */
  public static boolean showsContentOf(Path mountPoint, Path candidate) {
    try {
      if (!Files.isDirectory(candidate, NOFOLLOW)) {
        return false;
      }
      if (ino(mountPoint).equals(ino(candidate))) {
        return true;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(candidate)) {
      int seen = 0;
      for (Path entry : entries) {
        if (++seen > PROBED_ENTRIES) {
          return false;
        }
        Map<String, Object> real = Files.readAttributes(entry, "unix:ino,mode", NOFOLLOW);
        int type = (Integer) real.get("mode") & 0170000;
        if (type == 0020000) {
          continue; // a character device: a whiteout, which the mount never shows
        }
        Map<String, Object> shown;
        try {
          shown = Files.readAttributes(
              mountPoint.resolve(entry.getFileName().toString()), "unix:ino,mode", NOFOLLOW);
        } catch (IOException e) {
          continue; // hidden by an upper layer's whiteout, or not there
        }
        if (real.get("ino").equals(shown.get("ino")) && type == ((Integer) shown.get("mode") & 0170000)) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static Object ino(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino");
  }

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
    if (i == p.getNameCount() || p.toString().isEmpty()) {
      return Path.of("");
    }
    return p.subpath(i, p.getNameCount());
  }

  /**
   * Reads the mount tables of this process's mount namespace and of every other one a process
   * is in ({@code /proc/<pid>/mountinfo}, one process per namespace); empty when there is no
   * {@code /proc} (not Linux).
   *
   * @return the tables, this namespace's first
   */
  public static List<Table> readAll() {
    List<Table> tables = new ArrayList<>();
    Set<String> namespaces = new HashSet<>();
    try {
      tables.add(Table.own(Files.readAllLines(Path.of("/proc/self/mountinfo"))));
      namespaces.add(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString());
    } catch (IOException | RuntimeException e) {
      return tables;
    }
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path proc : procs) {
        String pid = proc.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String ns = Files.readSymbolicLink(proc.resolve("ns/mnt")).toString();
          if (namespaces.add(ns)) {
            tables.add(new Table(proc.resolve("root"), " (in the mount namespace of process " + pid + ")",
                Files.readAllLines(proc.resolve("mountinfo"))));
          }
        } catch (IOException | RuntimeException e) {
          // gone, or not ours to read
        }
      }
    } catch (IOException | RuntimeException e) {
      // only our own table
    }
    return tables;
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

  /**
   * The directory paths of lowerdir (split at unescaped ':'), upperdir and workdir, with
   * mountinfo's octal escapes and the mount options' backslash escapes undone, in that order (a
   * comma in a path is {@code \,} in the options and {@code \134\054} in mountinfo).
   */
  static List<String> directories(String superOptions) {
    List<String> out = new ArrayList<>();
    for (String opt : splitUnescaped(unescapeOctal(superOptions), ',')) {
      int eq = opt.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = opt.substring(0, eq);
      String value = opt.substring(eq + 1);
      if (key.equals("lowerdir") || key.equals("lowerdir+") || key.equals("datadir+")) {
        for (String l : splitUnescaped(value, ':')) {
          out.add(unbackslash(l));
        }
      } else if (key.equals("upperdir") || key.equals("workdir")) {
        out.add(unbackslash(value));
      }
    }
    return out;
  }

  /** {@code \x} is {@code x}. */
  private static String unbackslash(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        sb.append(s.charAt(++i));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
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
