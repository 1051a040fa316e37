package io.carbon.computeimage.testkit.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A comparable picture of a directory tree, walked without following symlinks: per path the type,
 * mode (setuid, setgid and sticky included), owner, content digest, symlink target, device number,
 * extended attributes (read with {@code getfattr}, so {@code trusted.*} and {@code security.*} are
 * included when run as root) and modification time; plus the hard link groups among the paths.
 *
 * <p>Use {@link #differences(TreeSnapshot, TreeSnapshot, Options)} to compare, for example, an
 * overlayfs mount of unpacked layers with a flattened reference extraction.
 */
public final class TreeSnapshot {
  private static final int S_IFMT = 0170000;

  /**
   * One path's attributes.
   *
   * @param type one of {@code dir file symlink char block fifo socket}
   * @param mode permission bits (07777)
   * @param uid owner
   * @param gid group
   * @param size size of regular files
   * @param content sha256 of a regular file, or the symlink target
   * @param rdev device number of device nodes
   * @param mtimeSeconds modification time (seconds)
   * @param xattrs extended attributes, name to hex value
   */
  public record Node(
      String type, int mode, int uid, int gid, long size, String content, long rdev,
      long mtimeSeconds, SortedMap<String, String> xattrs) {}

  /**
   * What to compare.
   *
   * @param compareDirMtimes whether directory modification times must match
   * @param compareMtimes whether non-directory modification times must match
   * @param ignoredXattrPrefixes xattr name prefixes left out
   * @param ignoredPaths relative paths left out entirely ({@code ""} is the root)
   * @param ignoredHardlinkPaths paths whose attributes are compared but whose hard link group
   *     membership is not (for a documented policy such as copying up a lower layer's file)
   */
  public record Options(
      boolean compareDirMtimes,
      boolean compareMtimes,
      Set<String> ignoredXattrPrefixes,
      Set<String> ignoredPaths,
      Set<String> ignoredHardlinkPaths) {
    /** @return the usual options: no directory mtimes, no root, no overlay/selinux xattrs */
    public static Options defaults() {
      return new Options(false, true, Set.of("trusted.overlay.", "security.selinux"), Set.of(""),
          Set.of());
    }

    /** @param paths more paths to leave out @return a copy */
    public Options ignoring(String... paths) {
      Set<String> s = new TreeSet<>(ignoredPaths);
      s.addAll(List.of(paths));
      return new Options(compareDirMtimes, compareMtimes, ignoredXattrPrefixes, s,
          ignoredHardlinkPaths);
    }

    /** @param paths paths left out of hard link group comparison @return a copy */
    public Options ignoringHardlinksOf(String... paths) {
      Set<String> s = new TreeSet<>(ignoredHardlinkPaths);
      s.addAll(List.of(paths));
      return new Options(compareDirMtimes, compareMtimes, ignoredXattrPrefixes, ignoredPaths, s);
    }
  }

  private final Path root;
  private final SortedMap<String, Node> nodes;
  private final Set<Set<String>> hardlinkGroups;

  private TreeSnapshot(Path root, SortedMap<String, Node> nodes, Set<Set<String>> groups) {
    this.root = root;
    this.nodes = nodes;
    this.hardlinkGroups = groups;
  }

  /** @return path (relative, {@code ""} for the root) to attributes */
  public SortedMap<String, Node> nodes() {
    return nodes;
  }

  /** @return sets of two or more paths that share an inode */
  public Set<Set<String>> hardlinkGroups() {
    return hardlinkGroups;
  }

  /**
   * Walks a tree.
   *
   * @param root the directory
   * @return the snapshot
   */
  public static TreeSnapshot of(Path root) {
    Map<String, SortedMap<String, String>> xattrs = readXattrs(root);
    SortedMap<String, Node> nodes = new TreeMap<>();
    Map<Object, Set<String>> inodes = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          add(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          add(file);
          return FileVisitResult.CONTINUE;
        }

        private void add(Path p) throws IOException {
          String rel = root.relativize(p).toString();
          Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
          int mode = (Integer) a.get("mode");
          String type = switch (mode & S_IFMT) {
            case 0040000 -> "dir";
            case 0100000 -> "file";
            case 0120000 -> "symlink";
            case 0020000 -> "char";
            case 0060000 -> "block";
            case 0010000 -> "fifo";
            default -> "socket";
          };
          String content = "";
          long size = 0;
          if (type.equals("file")) {
            content = sha256(p);
            size = (Long) a.get("size");
            inodes.computeIfAbsent(a.get("dev") + ":" + a.get("ino"), k -> new TreeSet<>()).add(rel);
          } else if (type.equals("symlink")) {
            content = Files.readSymbolicLink(p).toString();
            inodes.computeIfAbsent(a.get("dev") + ":" + a.get("ino"), k -> new TreeSet<>()).add(rel);
          }
          long rdev = type.equals("char") || type.equals("block") ? (Long) a.get("rdev") : 0;
          long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
          nodes.put(rel, new Node(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
              size, content, rdev, mtime, xattrs.getOrDefault(rel, new TreeMap<>())));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<Set<String>> groups = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    for (Set<String> g : inodes.values()) {
      if (g.size() > 1) {
        groups.add(g);
      }
    }
    return new TreeSnapshot(root, nodes, groups);
  }

  /**
   * Compares two snapshots.
   *
   * @param expected the reference
   * @param actual the tree under test
   * @param options what to compare
   * @return human-readable differences, empty when equal
   */
  public static List<String> differences(TreeSnapshot expected, TreeSnapshot actual, Options options) {
    List<String> out = new ArrayList<>();
    Set<String> all = new TreeSet<>(expected.nodes.keySet());
    all.addAll(actual.nodes.keySet());
    for (String p : all) {
      if (options.ignoredPaths().contains(p)) {
        continue;
      }
      Node e = expected.nodes.get(p);
      Node a = actual.nodes.get(p);
      if (e == null) {
        out.add("unexpected " + p + " " + a);
        continue;
      }
      if (a == null) {
        out.add("missing " + p + " " + e);
        continue;
      }
      Node en = normalise(e, options);
      Node an = normalise(a, options);
      if (!en.equals(an)) {
        out.add("differs " + p + "\n   expected " + en + "\n   actual   " + an);
      }
    }
    Set<Set<String>> eg = filtered(expected.hardlinkGroups, options);
    Set<Set<String>> ag = filtered(actual.hardlinkGroups, options);
    if (!eg.equals(ag)) {
      out.add("hard link groups differ: expected " + eg + ", actual " + ag);
    }
    return out;
  }

  private static Set<Set<String>> filtered(Set<Set<String>> groups, Options o) {
    Set<Set<String>> out = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    for (Set<String> g : groups) {
      Set<String> f = new TreeSet<>(g);
      f.removeAll(o.ignoredPaths());
      f.removeAll(o.ignoredHardlinkPaths());
      if (f.size() > 1) {
        out.add(f);
      }
    }
    return out;
  }

  private static Node normalise(Node n, Options o) {
    SortedMap<String, String> x = new TreeMap<>();
    for (Map.Entry<String, String> e : n.xattrs().entrySet()) {
      if (o.ignoredXattrPrefixes().stream().noneMatch(e.getKey()::startsWith)) {
        x.put(e.getKey(), e.getValue());
      }
    }
    boolean dir = n.type().equals("dir");
    long mtime = (dir ? o.compareDirMtimes() : o.compareMtimes()) ? n.mtimeSeconds() : 0;
    return new Node(n.type(), n.mode(), n.uid(), n.gid(), n.size(), n.content(), n.rdev(), mtime, x);
  }

  private static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code getfattr -R -h -d -m - -e hex} once over the tree. */
  private static Map<String, SortedMap<String, String>> readXattrs(Path root) {
    Map<String, SortedMap<String, String>> out = new TreeMap<>();
    String prefix = root.toString().endsWith("/") ? root.toString() : root + "/";
    try {
      Process proc = new ProcessBuilder("getfattr", "-R", "-h", "-d", "-m", "-", "-e", "hex",
          "--absolute-names", root.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] text;
      try (InputStream in = proc.getInputStream()) {
        text = in.readAllBytes();
      }
      if (!proc.waitFor(60, TimeUnit.SECONDS)) {
        proc.destroyForcibly();
        throw new IllegalStateException("getfattr timed out on " + root);
      }
      String current = null;
      for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("# file: ")) {
          String path = unescape(line.substring("# file: ".length()));
          current = path.equals(root.toString()) ? "" : path.startsWith(prefix)
              ? path.substring(prefix.length()) : path;
        } else if (!line.isBlank() && current != null) {
          int eq = line.indexOf('=');
          String name = eq < 0 ? line : line.substring(0, eq);
          String value = eq < 0 ? "" : line.substring(eq + 1);
          out.computeIfAbsent(current, k -> new TreeMap<>()).put(unescape(name), value);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run getfattr (package attr) on " + root, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** getfattr escapes unusual bytes as backslash and three octal digits. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\\' && isOctal(in, i + 1)) {
        b.write(Integer.parseInt(new String(in, i + 1, 3, StandardCharsets.US_ASCII), 8));
        i += 3;
      } else {
        b.write(in[i]);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(byte[] in, int at) {
    if (at + 3 > in.length) {
      return false;
    }
    for (int i = at; i < at + 3; i++) {
      if (in[i] < '0' || in[i] > '7') {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "TreeSnapshot[" + root + ", " + nodes.size() + " paths]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeSnapshot t && nodes.equals(t.nodes) && hardlinkGroups.equals(t.hardlinkGroups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodes, hardlinkGroups);
  }
}
