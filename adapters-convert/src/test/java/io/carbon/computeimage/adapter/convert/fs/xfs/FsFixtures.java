package io.carbon.computeimage.adapter.convert.fs.xfs;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Test helpers shared by the XFS and btrfs reader tests: commands, loop mounts, tree comparison. */
public final class FsFixtures {
  private FsFixtures() {}

  /**
   * Runs a command and fails with its output when it does not exit 0 within 120 s.
   *
   * @param cmd the command
   * @return its standard output
   */
  public static String run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timeout: " + cmd);
    }
    String s = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(cmd + " failed with " + p.exitValue() + ": " + s);
    }
    return s;
  }

  /** Runs a command given as varargs. */
  public static String run(String... cmd) throws IOException, InterruptedException {
    return run(Arrays.asList(cmd));
  }

  /** A loop mount of an image file on a fresh mount point; unmounted on close. */
  public static final class LoopMount implements AutoCloseable {
    private final Path dir;

    private LoopMount(Path dir) {
      this.dir = dir;
    }

    /**
     * Mounts an image.
     *
     * @param image the image file
     * @param options extra mount options (may be empty)
     * @param parent where to create the mount point
     */
    public static LoopMount mount(Path image, String options, Path parent)
        throws IOException, InterruptedException {
      Path mp = Files.createTempDirectory(parent, "mnt");
      List<String> cmd = new ArrayList<>(List.of("mount", "-o", "loop" + (options.isEmpty() ? "" : "," + options)));
      cmd.add(image.toString());
      cmd.add(mp.toString());
      try {
        run(cmd);
      } catch (IOException | InterruptedException e) {
        Files.deleteIfExists(mp);
        throw e;
      }
      return new LoopMount(mp);
    }

    public Path dir() {
      return dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
      try {
        run("umount", dir.toString());
      } catch (IOException e) {
        run("umount", "-l", dir.toString());
      }
      Files.deleteIfExists(dir);
    }
  }

  /**
   * Creates a work directory on tmpfs when there is one (loop-mounted images sync fast there).
   *
   * @param prefix the directory name prefix
   */
  public static Path tempDir(String prefix) throws IOException {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, prefix)
        : Files.createTempDirectory(prefix);
  }

  /** Deletes a directory tree (no symlink following). */
  public static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Compares a directory of the reader with a host directory: names, kinds, symlink targets and
   * file contents byte for byte.
   *
   * @return the number of entries compared
   */
  public static int compareTree(Filesystem fs, FsNode dir, Path src) throws IOException {
    TreeSet<String> expected = new TreeSet<>();
    try (Stream<Path> s = Files.list(src)) {
      s.forEach(p -> expected.add(p.getFileName().toString()));
    }
    assertThat(new TreeSet<>(fs.list(dir))).as("listing of %s", src).isEqualTo(expected);
    int n = 0;
    for (String name : expected) {
      Path p = src.resolve(name);
      FsNode node = fs.lookup(dir, name).orElseThrow(() -> new AssertionError("lookup " + p));
      n++;
      if (Files.isSymbolicLink(p)) {
        assertThat(node.kind()).as("kind of %s", p).isEqualTo(NodeKind.SYMLINK);
        assertThat(fs.readLink(node)).as("target of %s", p)
            .isEqualTo(Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        assertThat(node.kind()).as("kind of %s", p).isEqualTo(NodeKind.DIRECTORY);
        n += compareTree(fs, node, p);
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        assertThat(node.kind()).as("kind of %s", p).isEqualTo(NodeKind.FILE);
        assertThat(node.size()).as("size of %s", p).isEqualTo(Files.size(p));
        assertSameContent(fs, node, p);
      } else {
        assertThat(node.kind()).as("kind of %s", p).isEqualTo(NodeKind.OTHER);
      }
    }
    return n;
  }

  private static void assertSameContent(Filesystem fs, FsNode node, Path p) throws IOException {
    try (InputStream a = fs.open(node); InputStream b = Files.newInputStream(p)) {
      byte[] x = new byte[65536 + 123];
      byte[] y = new byte[x.length];
      long pos = 0;
      while (true) {
        int n = a.readNBytes(x, 0, x.length);
        int m = b.readNBytes(y, 0, y.length);
        assertThat(n).as("bytes read at %d of %s", pos, p).isEqualTo(m);
        if (n == 0) {
          break;
        }
        if (!Arrays.equals(x, 0, n, y, 0, n)) {
          throw new AssertionError("content of " + p + " differs in the chunk at " + pos);
        }
        pos += n;
      }
    }
  }

  /** An in-memory block device, for malformed-input and fuzz tests. */
  public static final class BytesDevice implements BlockDevice {
    private final byte[] data;

    public BytesDevice(byte[] data) {
      this.data = data;
    }

    @Override
    public long size() {
      return data.length;
    }

    @Override
    public int read(long offset, ByteBuffer dst) {
      if (offset >= data.length) {
        return 0;
      }
      int n = (int) Math.min(dst.remaining(), data.length - offset);
      dst.put(data, (int) offset, n);
      return n;
    }

    @Override
    public void close() {}
  }

  /**
   * A device described by a sparse seed: a big-endian u64 size, then records of a big-endian u32
   * sector index, a u16 sector count and that many 512-byte sectors. Unlisted sectors read as zero;
   * a malformed tail is ignored. Used by the fuzz tests, so every input is some device.
   */
  public static final class SparseDevice implements BlockDevice {
    private final java.util.TreeMap<Long, byte[]> sectors = new java.util.TreeMap<>();
    private final long size;

    public SparseDevice(byte[] seed) {
      ByteBuffer b = ByteBuffer.wrap(seed);
      long declared = b.remaining() >= 8 ? b.getLong() : 0;
      size = Math.max(0, Math.min(declared, 1L << 40));
      while (b.remaining() >= 6) {
        long sector = b.getInt() & 0xffffffffL;
        int count = b.getShort() & 0xffff;
        for (int k = 0; k < count && b.remaining() > 0; k++) {
          byte[] data = new byte[512];
          b.get(data, 0, Math.min(512, b.remaining()));
          sectors.put(sector + k, data);
        }
      }
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public int read(long offset, ByteBuffer dst) {
      if (offset >= size) {
        return 0;
      }
      int n = (int) Math.min(dst.remaining(), size - offset);
      for (int i = 0; i < n; ) {
        long pos = offset + i;
        byte[] sec = sectors.get(pos / 512);
        int within = (int) (pos % 512);
        int k = Math.min(512 - within, n - i);
        if (sec == null) {
          for (int z = 0; z < k; z++) {
            dst.put((byte) 0);
          }
        } else {
          dst.put(sec, within, k);
        }
        i += k;
      }
      return n;
    }

    @Override
    public void close() {}
  }

  /** A device that overlays byte patches on another (for malformed-input tests). */
  public static final class PatchedDevice implements BlockDevice {
    private final BlockDevice base;
    private final java.util.TreeMap<Long, Byte> patches = new java.util.TreeMap<>();

    public PatchedDevice(BlockDevice base) {
      this.base = base;
    }

    /** Overwrites bytes at an offset. */
    public PatchedDevice patch(long offset, byte[] bytes) {
      for (int i = 0; i < bytes.length; i++) {
        patches.put(offset + i, bytes[i]);
      }
      return this;
    }

    @Override
    public long size() {
      return base.size();
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
      int start = dst.position();
      int n = base.read(offset, dst);
      for (var e : patches.subMap(offset, offset + Math.max(n, 0)).entrySet()) {
        dst.put(start + (int) (e.getKey() - offset), e.getValue());
      }
      return n;
    }

    @Override
    public void close() {}
  }

  /** A device that records which 512-byte sectors were read (to build minimal seeds). */
  public static final class RecordingDevice implements BlockDevice {
    private final BlockDevice base;
    private final java.util.TreeSet<Long> touched = new java.util.TreeSet<>();

    public RecordingDevice(BlockDevice base) {
      this.base = base;
    }

    @Override
    public long size() {
      return base.size();
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
      int n = base.read(offset, dst);
      for (long s = offset / 512; s <= (offset + Math.max(n, 1) - 1) / 512; s++) {
        touched.add(s);
      }
      return n;
    }

    /** Writes the touched sectors of the base device as a sparse seed. */
    public byte[] seed() throws IOException {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.write(ByteBuffer.allocate(8).putLong(base.size()).array());
      Long[] list = touched.toArray(new Long[0]);
      int i = 0;
      while (i < list.length) {
        int j = i;
        while (j + 1 < list.length && list[j + 1] == list[j] + 1 && j + 1 - i < 65535) {
          j++;
        }
        int count = j - i + 1;
        out.write(ByteBuffer.allocate(6).putInt((int) (long) list[i]).putShort((short) count).array());
        out.write(base.readFully(list[i] * 512, count * 512));
        i = j + 1;
      }
      return out.toByteArray();
    }

    @Override
    public void close() {}
  }

  /**
   * Walks a whole filesystem through its API with bounds (nodes visited, bytes read per file),
   * resolving each symlink; used by fuzz tests and seed generation.
   *
   * @return the number of nodes visited
   */
  public static int walk(Filesystem fs, int maxNodes) throws IOException {
    return walk(fs, fs.root(), maxNodes);
  }

  /** Walks from a given directory, as {@link #walk(Filesystem, int)}. */
  public static int walk(Filesystem fs, FsNode start, int maxNodes) throws IOException {
    java.util.ArrayDeque<FsNode> todo = new java.util.ArrayDeque<>();
    todo.add(start);
    int visited = 0;
    byte[] buf = new byte[65536];
    while (!todo.isEmpty() && visited < maxNodes) {
      FsNode dir = todo.poll();
      for (String name : fs.list(dir)) {
        if (++visited > maxNodes) {
          break;
        }
        FsNode n = fs.lookup(dir, name).orElse(null);
        if (n == null) {
          continue;
        }
        switch (n.kind()) {
          case DIRECTORY:
            todo.add(n);
            break;
          case SYMLINK:
            fs.readLink(n);
            new io.carbon.computeimage.adapter.convert.fs.FsPaths(fs).resolve("/" + name);
            break;
          case FILE:
            try (InputStream in = fs.open(n)) {
              long total = 0;
              int r;
              while (total < (1 << 20) && (r = in.read(buf)) > 0) {
                total += r;
              }
            }
            break;
          default:
            break;
        }
      }
    }
    return visited;
  }
}
