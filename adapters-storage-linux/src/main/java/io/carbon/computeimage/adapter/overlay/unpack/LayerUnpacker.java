package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.adapter.overlay.linux.PosixFs;
import io.carbon.computeimage.adapter.overlay.tar.PrintableText;
import io.carbon.computeimage.adapter.overlay.tar.SparseRegion;
import io.carbon.computeimage.adapter.overlay.tar.TarEntry;
import io.carbon.computeimage.adapter.overlay.tar.TarType;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsafeContentException;
import io.carbon.computeimage.ports.store.LowerLayers;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the entries of one layer tar to its own directory, producing an overlayfs lower
 * directory: deletions become 0/0 character devices, opaque directories get {@code
 * trusted.overlay.opaque=y}.
 *
 * <p>Parent directories are resolved one component at a time in the merged view of this layer over
 * the lower layers of the same image: a directory continues, a symlink (in this layer or visible
 * from a lower one) is followed inside the image root (absolute targets start at the root; a
 * {@code ..} above the root is refused), anything else is replaced by a directory in this layer.
 * Nothing is cached across entries that could change the answer: resolved stacks of lower layers
 * are dropped whenever this layer replaces, removes or makes opaque a path.
 *
 * <p>A directory that replaces a non-directory this layer wrote earlier (file {@code a}, then
 * directory {@code a/}) is opaque: the non-directory had already deleted the lower {@code a/}.
 * Overlayfs ignores {@code trusted.overlay.opaque} on a layer's root, so an opaque marker at the
 * root of the tar is written, when the layer is finished, as a whiteout for every name of the
 * lower layers' merged root that this layer does not create, and as an opaque xattr on every
 * directory this layer has at the root over a lower name. Opaque markers, like whiteouts, are
 * ignored under a parent the merged view does not have. Image text in messages is escaped with
 * {@link PrintableText}.
 *
 * <p>Small regular files (the bulk of a root file system) are created, written and given their
 * metadata by a few writer threads while the reader goes on with the next entries: creating inodes
 * is the costliest part of an unpack. Every later look at a path of this layer first waits for a
 * pending write of that path, a directory is only deleted once all writes are done, and directory
 * times are set after all of them, so the result is the same as writing in order.
 *
 * <p>One instance per layer; not thread-safe; {@link #close()} it.
 */
public final class LayerUnpacker implements AutoCloseable {
  private static final String OPAQUE_MARKER = ".wh..wh..opq";
  private static final String WH = ".wh.";
  private static final String OPAQUE_XATTR = "trusted.overlay.opaque";
  private static final byte[] Y = {'y'};
  private static final int MAX_LINKS = 40;
  /** PATH_MAX of Linux less the terminating NUL: the longest symlink target symlink(2) takes. */
  private static final int MAX_SYMLINK_TARGET = 4095;

  private final Path root;
  private final LowerLayers lowerLayers;
  private List<Path> lowers; // top-most first; null until an entry needs them
  private final String layer;
  private final Set<String> whiteoutsHere = new HashSet<>();
  private final Set<String> opaqueHere = new HashSet<>();
  private final Map<String, List<Integer>> stacks = new HashMap<>();
  private final Map<Path, Boolean> lowerOpaque = new HashMap<>();
  private final Map<String, long[]> dirTimes = new LinkedHashMap<>();
  private final byte[] buffer = new byte[1 << 16];
  private boolean rootOpaque;
  private final FileWriters writers = new FileWriters();

  /**
   * Creates an unpacker.
   *
   * @param root the (empty) directory of this layer
   * @param lowerLayers the layers below; awaited when an entry first needs them (a path this layer
   *     does not have)
   * @param layer the layer's name for messages
   */
  public LayerUnpacker(Path root, LowerLayers lowerLayers, String layer) {
    this.root = root;
    this.lowerLayers = lowerLayers;
    this.layer = layer;
  }

  /** The lower layers, top-most first, waiting for them on first use. */
  private List<Path> lowers() throws ComputeImageException {
    if (lowers == null) {
      List<Path> l = new ArrayList<>();
      for (Path p : lowerLayers.await()) {
        Path dir = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || dir.equals(root)) {
          throw new LocalStorageException("lower layer directory " + dir + " of " + layer
              + " is not a directory");
        }
        l.add(dir);
      }
      java.util.Collections.reverse(l);
      lowers = l;
    }
    return lowers;
  }

  /**
   * Applies one entry.
   *
   * @param e the entry
   * @param dataSource a reader-owned stream of the entry's stored data (read for regular files)
   * @throws ComputeImageException when the entry is refused or malformed
   * @throws IOException on file-system failure
   */
  public void apply(TarEntry e, InputStream dataSource) throws ComputeImageException, IOException {
    List<String> comps = EntryPath.components(e.name(), "entry", layer);
    for (int i = 0; i < comps.size() - 1; i++) {
      if (comps.get(i).startsWith(WH)) {
        if (comps.get(i).startsWith(WH + WH)) {
          return; // AUFS metadata directory (.wh..wh.plnk and friends): not content
        }
        throw new MalformedImageException("malformed entry '" + PrintableText.name(e.name())
            + "' in " + layer + ": whiteout name used as a directory");
      }
    }
    if (comps.isEmpty()) {
      applyRoot(e);
      return;
    }
    List<String> parent = comps.subList(0, comps.size() - 1);
    String base = comps.get(comps.size() - 1);
    if (base.startsWith(WH)) {
      applyWhiteout(e, parent, base);
      return;
    }
    String dir = resolveDir(parent, true, e.name());
    String rel = child(dir, base);
    Path p = root.resolve(rel);
    if (e.type() == TarType.HARDLINK) {
      applyHardlink(e, rel, p);
      return;
    }
    boolean opaque = prepareTarget(rel, p, e.type() == TarType.DIRECTORY);
    if (e.type() == TarType.FILE && e.sparse() == null && e.size() <= FileWriters.MAX_FILE) {
      byte[] content = readFully(dataSource, (int) e.size(), e.name());
      writers.submit(rel, e.name(), () -> {
        writeSmall(p, content);
        applyMetadata(e, p, rel);
      }, e.size());
      return;
    }
    switch (e.type()) {
      case DIRECTORY -> {
        if (Stat.of(p) == null) {
          Files.createDirectory(p);
        }
      }
      case FILE -> writeFile(e, p, dataSource);
      case SYMLINK -> {
        int bytes = e.linkName().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_SYMLINK_TARGET || bytes == 0) {
          throw new MalformedImageException("malformed symlink '" + PrintableText.name(e.name())
              + "' in " + layer + ": a target of " + bytes + " bytes (Linux allows 1 to "
              + MAX_SYMLINK_TARGET + ")");
        }
        PosixFs.symlink(e.linkName(), p);
      }
      case CHAR_DEVICE, BLOCK_DEVICE -> {
        if (e.devMajor() > 0xffffffffL || e.devMinor() > 0xffffffffL) {
          throw new MalformedImageException("device numbers " + e.devMajor() + ":" + e.devMinor()
              + " of '" + PrintableText.name(e.name()) + "' in " + layer + " are out of range");
        }
        int t = e.type() == TarType.CHAR_DEVICE ? PosixFs.S_IFCHR : PosixFs.S_IFBLK;
        PosixFs.mknod(p, t | (e.mode() & 0777), PosixFs.makedev(e.devMajor(), e.devMinor()));
      }
      case FIFO -> PosixFs.mknod(p, PosixFs.S_IFIFO | (e.mode() & 0777), 0);
      default -> throw new IllegalStateException("unexpected type " + e.type());
    }
    if (opaque) {
      makeOpaque(rel);
    }
    applyMetadata(e, p, rel);
  }

  /**
   * Sets directory times last, after all their contents were written.
   *
   * @throws IOException on failure
   */
  public void finish() throws IOException, ComputeImageException {
    writers.awaitAll();
    if (rootOpaque) {
      hideLowerRoot();
    }
    List<Map.Entry<String, long[]>> all = new ArrayList<>(dirTimes.entrySet());
    for (int i = all.size() - 1; i >= 0; i--) {
      Path p = all.get(i).getKey().isEmpty() ? root : root.resolve(all.get(i).getKey());
      Stat st = Stat.of(p);
      if (st != null && st.isDir()) {
        long[] t = all.get(i).getValue();
        PosixFs.setTimesNoFollow(p, t[0], t[1]);
      }
    }
  }

  // ---------------------------------------------------------------------------------- entries

  private void applyRoot(TarEntry e) throws ComputeImageException, IOException {
    if (e.type() != TarType.DIRECTORY) {
      throw new UnsafeContentException("refusing entry '" + PrintableText.name(e.name()) + "' in " + layer
          + ": a " + e.type().name().toLowerCase(java.util.Locale.ROOT)
          + " would replace the layer root");
    }
    applyMetadata(e, root, "");
  }

  private void applyWhiteout(TarEntry e, List<String> parent, String base)
      throws ComputeImageException, IOException {
    if (base.equals(OPAQUE_MARKER)) {
      if (resolveDir(parent, false, e.name()) == null) {
        return; // as for a plain whiteout: no directory in the merged view, nothing to hide
      }
      String dir = resolveDir(parent, true, e.name());
      Stat st = Stat.of(dir.isEmpty() ? root : root.resolve(dir));
      if (st == null || !st.isDir()) {
        throw new IllegalStateException(
            "resolved parent is not a directory: " + PrintableText.name(dir));
      }
      if (dir.isEmpty()) {
        rootOpaque = true; // completed by hideLowerRoot(): overlayfs ignores opaque on a root
      }
      makeOpaque(dir);
      return;
    }
    if (base.startsWith(WH + WH)) {
      return; // other AUFS metadata (.wh..wh.plnk, .wh..wh.aufs)
    }
    String victim = base.substring(WH.length());
    if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
      throw new UnsafeContentException("refusing whiteout '" + PrintableText.name(e.name())
          + "' in " + layer + ": malformed whiteout name (it would delete '"
          + PrintableText.name(victim) + "' relative to its directory)");
    }
    if (resolveDir(parent, false, e.name()) == null) {
      return; // the parent is already gone in the merged view: nothing left to hide
    }
    String dir = resolveDir(parent, true, e.name());
    if (insideOpaqueHere(dir)) {
      return; // plain whiteouts inside an opaque directory of the same layer are redundant
    }
    String rel = child(dir, victim);
    Path p = root.resolve(rel);
    writers.await(rel);
    Stat st = Stat.of(p);
    if (st == null) {
      PosixFs.mknod(p, PosixFs.S_IFCHR, 0);
      // the entry's time, not the clock's: the same layer whenever and however it is unpacked
      PosixFs.setTimesNoFollow(p, e.mtimeSeconds(), e.mtimeNanos());
      whiteoutsHere.add(rel);
      invalidate(rel);
    } else if (st.isDir()) {
      makeOpaque(rel); // this layer's own content stays, the lower one is hidden
    }
    // an existing whiteout or a non-directory of this layer already hides the lower path
  }

  private void applyHardlink(TarEntry e, String rel, Path p) throws ComputeImageException, IOException {
    List<String> target = EntryPath.components(e.linkName(), "hard link target", layer);
    if (target.isEmpty()) {
      throw new MalformedImageException("hard link '" + PrintableText.name(e.name()) + "' in "
          + layer + " points at the root directory");
    }
    String tdir = resolveDir(target.subList(0, target.size() - 1), false, e.linkName());
    String tbase = target.get(target.size() - 1);
    Node n = tdir == null ? Node.ABSENT : lookup(tdir, tbase);
    if (n.kind() == Kind.ABSENT || n.kind() == Kind.DELETED_HERE) {
      throw new MalformedImageException("hard link '" + PrintableText.name(e.name()) + "' in "
          + layer + ": target '" + PrintableText.name(e.linkName())
          + "' does not exist in this layer or below");
    }
    if (n.kind() == Kind.DIR) {
      throw new MalformedImageException("hard link '" + PrintableText.name(e.name()) + "' in "
          + layer + ": target '" + PrintableText.name(e.linkName()) + "' is a directory");
    }
    String trel = child(tdir, tbase);
    if (trel.equals(rel)) {
      return; // a link to itself changes nothing
    }
    Path source = n.layer() < 0 ? root.resolve(trel) : lowers().get(n.layer()).resolve(trel);
    prepareTarget(rel, p, false);
    if (n.layer() < 0) {
      Files.createLink(p, source); // link(2) does not follow a symlink target: the link itself
    } else {
      copyUp(source, p);
    }
  }

  // ---------------------------------------------------------------------------------- targets

  /**
   * Makes room for a new entry at {@code rel}; returns whether the new directory must be opaque:
   * it replaces this layer's whiteout, or a non-directory of this layer (which had deleted
   * whatever the lower layers have at that path).
   */
  private boolean prepareTarget(String rel, Path p, boolean newIsDir) throws IOException {
    writers.await(rel);
    Stat st = Stat.of(p);
    if (st == null) {
      return false;
    }
    if (st.isWhiteout()) {
      Files.delete(p);
      whiteoutsHere.remove(rel);
      invalidate(rel);
      return newIsDir;
    }
    if (st.isDir()) {
      if (newIsDir) {
        return false;
      }
      writers.awaitAll(); // files being written below it
      deleteTree(p);
      invalidate(rel);
      return false;
    }
    Files.delete(p);
    invalidate(rel);
    return newIsDir;
  }

  private void writeFile(TarEntry e, Path p, InputStream data) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      if (e.sparse() == null) {
        copy(data, ch, Long.MAX_VALUE);
      } else {
        for (SparseRegion r : e.sparse()) {
          ch.position(r.offset());
          copy(data, ch, r.length());
        }
      }
    }
    if (e.sparse() != null && Files.size(p) < e.size()) {
      try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
        raf.setLength(e.size()); // ftruncate keeps the tail a hole
      }
    }
  }

  /**
   * Waits for the pending file writes and stops the writer threads; after a failure, the first
   * one is thrown by {@link #finish()} (or dropped when the unpack failed anyway).
   */
  @Override
  public void close() {
    writers.close();
  }

  private static byte[] readFully(InputStream in, int size, String name) throws IOException {
    byte[] b = new byte[size];
    int off = 0;
    while (off < size) {
      int n = in.read(b, off, size - off);
      if (n < 0) {
        throw new java.io.EOFException("data of '" + name + "' ends after " + off + " of " + size
            + " bytes");
      }
      off += n;
    }
    return b;
  }

  private static void writeSmall(Path p, byte[] content) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer bb = ByteBuffer.wrap(content);
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
    }
  }

  private void copy(InputStream in, FileChannel ch, long limit) throws IOException {
    long left = limit;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        break;
      }
      ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
      left -= n;
    }
  }

  private void applyMetadata(TarEntry e, Path p, String rel) throws IOException {
    // Order matters: chown clears setuid/setgid and security.capability, so it goes first.
    PosixFs.lchown(p, (int) e.uid(), (int) e.gid());
    for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
      String name = x.getKey();
      if (name.startsWith("trusted.overlay.")) {
        // image content must not steer overlayfs: use the kernel's escaped form (Linux 6.7+)
        name = "trusted.overlay.overlay." + name.substring("trusted.overlay.".length());
      }
      int err = PosixFs.trySetXattr(p, name, x.getValue());
      boolean tolerated = err == PosixFs.ENOTSUP
          || (err == PosixFs.EPERM && name.startsWith("user.")
              && e.type() != TarType.FILE && e.type() != TarType.DIRECTORY);
      if (err != 0 && !tolerated) {
        throw new IOException("setting xattr " + PrintableText.name(name) + " of '"
            + PrintableText.name(e.name()) + "' in " + layer
            + ": " + PosixFs.describe(err));
      }
    }
    if (e.type() != TarType.SYMLINK) {
      PosixFs.chmod(p, e.mode());
    }
    if (e.type() == TarType.DIRECTORY) {
      dirTimes.remove(rel);
      dirTimes.put(rel, new long[] {e.mtimeSeconds(), e.mtimeNanos()});
    } else {
      PosixFs.setTimesNoFollow(p, e.mtimeSeconds(), e.mtimeNanos());
    }
  }

  private void copyUp(Path source, Path p) throws IOException {
    Stat st = Stat.of(source);
    if (st.isRegular()) {
      Files.copy(source, p, LinkOption.NOFOLLOW_LINKS);
    } else if (st.isSymlink()) {
      PosixFs.symlink(readLink(source), p);
    } else {
      PosixFs.mknod(p, st.mode() & ~07000, st.rdev());
    }
    copyMetadata(source, p, st);
    PosixFs.setTimesNoFollow(p, st.mtime().toInstant().getEpochSecond(), st.mtime().toInstant().getNano());
  }

  private void copyMetadata(Path source, Path p, Stat st) throws IOException {
    PosixFs.lchown(p, st.uid(), st.gid());
    for (String name : PosixFs.listXattrs(source)) {
      if (name.startsWith("trusted.overlay.") && !name.startsWith("trusted.overlay.overlay.")) {
        continue;
      }
      var v = PosixFs.getXattr(source, name);
      if (v.isPresent()) {
        int err = PosixFs.trySetXattr(p, name, v.get());
        if (err != 0 && err != PosixFs.ENOTSUP && !(err == PosixFs.EPERM && name.startsWith("user."))) {
          throw new IOException("copying xattr " + name + " from " + source + " to " + p + ": "
              + PosixFs.describe(err));
        }
      }
    }
    if (!st.isSymlink()) {
      PosixFs.chmod(p, st.mode());
    }
  }

  private void makeOpaque(String rel) throws IOException {
    Path p = rel.isEmpty() ? root : root.resolve(rel);
    PosixFs.setXattr(p, OPAQUE_XATTR, Y);
    opaqueHere.add(rel);
    String prefix = rel.isEmpty() ? "" : rel + "/";
    for (Iterator<String> it = whiteoutsHere.iterator(); it.hasNext(); ) {
      String w = it.next();
      if (w.startsWith(prefix)) {
        Path wp = root.resolve(w);
        Stat st = Stat.of(wp);
        if (st != null && st.isWhiteout()) {
          Files.delete(wp);
        }
        it.remove();
      }
    }
    invalidate(rel);
  }

  /**
   * Completes an opaque marker at the root: overlayfs ignores {@code trusted.overlay.opaque} on a
   * layer's root directory, so every name the lower layers' merged root shows is hidden here, with
   * a whiteout, or, when this layer has a directory of that name, by making it opaque (a
   * non-directory of this layer hides the lower one by itself).
   */
  private void hideLowerRoot() throws IOException, ComputeImageException {
    Set<String> seen = new HashSet<>();
    List<String> visible = new ArrayList<>();
    for (Path lower : lowers()) {
      try (var names = Files.list(lower)) {
        for (Path child : (Iterable<Path>) names::iterator) {
          String name = child.getFileName().toString();
          if (seen.add(name)) {
            Stat st = Stat.of(child);
            if (st != null && !st.isWhiteout()) {
              visible.add(name);
            }
          }
        }
      }
      if (isOpaque(lower)) {
        break;
      }
    }
    for (String name : visible) {
      Path p = root.resolve(name);
      Stat here = Stat.of(p);
      if (here == null) {
        PosixFs.mknod(p, PosixFs.S_IFCHR, 0);
      } else if (here.isDir()) {
        PosixFs.setXattr(p, OPAQUE_XATTR, Y);
      }
    }
  }

  private boolean insideOpaqueHere(String dir) {
    String d = dir;
    while (true) {
      if (opaqueHere.contains(d)) {
        return true;
      }
      if (d.isEmpty()) {
        return false;
      }
      int slash = d.lastIndexOf('/');
      d = slash < 0 ? "" : d.substring(0, slash);
    }
  }

  // ---------------------------------------------------------------------------------- merged view

  private enum Kind { DIR, SYMLINK, OTHER, ABSENT, DELETED_HERE }

  /** What the merged view has at a path, and which layer provides it (-1: this layer). */
  private record Node(Kind kind, int layer) {
    static final Node ABSENT = new Node(Kind.ABSENT, -1);
  }

  /**
   * Resolves parent components to a real directory of the merged view (relative to the root),
   * creating missing directories in this layer when {@code create}; returns {@code null} when
   * {@code create} is false and the path does not exist.
   */
  private String resolveDir(List<String> comps, boolean create, String entryName)
      throws ComputeImageException, IOException {
    Deque<String> todo = new ArrayDeque<>(comps);
    String cur = "";
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (cur.isEmpty()) {
          throw new UnsafeContentException("refusing entry '" + PrintableText.name(entryName)
              + "' in " + layer
              + ": a symlink on its path leads above the layer root");
        }
        int slash = cur.lastIndexOf('/');
        cur = slash < 0 ? "" : cur.substring(0, slash);
        continue;
      }
      String p = child(cur, c);
      Node n = lookup(cur, c);
      switch (n.kind()) {
        case DIR -> {
          if (n.layer() >= 0 && create) {
            impliedFromLower(p, lowers().get(n.layer()).resolve(p));
          }
          cur = p;
        }
        case SYMLINK -> {
          if (++links > MAX_LINKS) {
            throw new MalformedImageException("entry '" + PrintableText.name(entryName) + "' in "
                + layer
                + ": too many levels of symbolic links");
          }
          Path link = n.layer() < 0 ? root.resolve(p) : lowers().get(n.layer()).resolve(p);
          String target = readLink(link);
          if (target.startsWith("/")) {
            cur = "";
          }
          String[] parts = target.split("/");
          for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
          }
        }
        case DELETED_HERE -> {
          if (!create) {
            return null;
          }
          Files.delete(root.resolve(p));
          whiteoutsHere.remove(p);
          Files.createDirectory(root.resolve(p));
          makeOpaque(p);
          cur = p;
        }
        case ABSENT -> {
          if (!create) {
            return null;
          }
          Files.createDirectory(root.resolve(p));
          PosixFs.chmod(root.resolve(p), 0755);
          invalidate(p);
          cur = p;
        }
        case OTHER -> {
          if (!create) {
            return null;
          }
          if (n.layer() < 0) {
            Files.delete(root.resolve(p));
          }
          Files.createDirectory(root.resolve(p));
          PosixFs.chmod(root.resolve(p), 0755);
          invalidate(p);
          if (n.layer() < 0) {
            makeOpaque(p); // this layer's non-directory had deleted the lower directory
          }
          cur = p;
        }
        default -> throw new IllegalStateException();
      }
    }
    return cur;
  }

  private Node lookup(String dir, String name) throws ComputeImageException, IOException {
    String p = child(dir, name);
    writers.await(p);
    Stat here = Stat.of(root.resolve(p));
    if (here != null) {
      if (here.isWhiteout()) {
        return new Node(Kind.DELETED_HERE, -1);
      }
      return new Node(kindOf(here), -1);
    }
    for (int idx : lowerStack(dir)) {
      Stat st = Stat.of(lowers().get(idx).resolve(p));
      if (st == null) {
        continue;
      }
      if (st.isWhiteout()) {
        return Node.ABSENT;
      }
      return new Node(kindOf(st), idx);
    }
    return Node.ABSENT;
  }

  /** The lower layers (indices, top first) whose copy of directory {@code dir} shows through. */
  private List<Integer> lowerStack(String dir) throws ComputeImageException, IOException {
    List<Integer> cached = stacks.get(dir);
    if (cached != null) {
      return cached;
    }
    List<Integer> out = new ArrayList<>();
    if (!opaqueHere.contains(dir)) {
      if (dir.isEmpty()) {
        for (int i = 0; i < lowers().size(); i++) {
          out.add(i);
          if (isOpaque(lowers().get(i))) {
            break;
          }
        }
      } else {
        int slash = dir.lastIndexOf('/');
        String parent = slash < 0 ? "" : dir.substring(0, slash);
        for (int idx : lowerStack(parent)) {
          Path lp = lowers().get(idx).resolve(dir);
          Stat st = Stat.of(lp);
          if (st == null) {
            continue;
          }
          if (!st.isDir()) {
            break; // a whiteout or a non-directory ends the stack
          }
          out.add(idx);
          if (isOpaque(lp)) {
            break;
          }
        }
      }
    }
    stacks.put(dir, out);
    return out;
  }

  private boolean isOpaque(Path lowerDir) throws IOException {
    Boolean b = lowerOpaque.get(lowerDir);
    if (b == null) {
      var v = PosixFs.getXattr(lowerDir, OPAQUE_XATTR);
      b = v.isPresent() && v.get().length == 1 && v.get()[0] == 'y';
      lowerOpaque.put(lowerDir, b);
    }
    return b;
  }

  private void impliedFromLower(String rel, Path lowerDir) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectory(p);
    Stat st = Stat.of(lowerDir);
    copyMetadata(lowerDir, p, st);
    if (!dirTimes.containsKey(rel)) {
      dirTimes.put(rel, new long[] {st.mtime().toInstant().getEpochSecond(), st.mtime().toInstant().getNano()});
    }
    invalidate(rel);
  }

  private void invalidate(String rel) {
    if (stacks.isEmpty()) {
      return;
    }
    String prefix = rel + "/";
    stacks.keySet().removeIf(k -> k.equals(rel) || k.startsWith(prefix) || rel.isEmpty());
  }

  private static Kind kindOf(Stat st) {
    if (st.isDir()) {
      return Kind.DIR;
    }
    return st.isSymlink() ? Kind.SYMLINK : Kind.OTHER;
  }

  private static String readLink(Path link) throws IOException {
    return Files.readSymbolicLink(link).toString();
  }

  private static String child(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }

  private static void deleteTree(Path p) throws IOException {
    Files.walkFileTree(p, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
