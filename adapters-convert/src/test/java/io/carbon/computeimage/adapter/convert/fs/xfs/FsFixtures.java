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
   * Expands a sparse seed (records of big-endian u32 sector index, u16 sector count, then that
   * many 512-byte sectors) into an image of the given size; malformed tails are ignored.
   */
  public static byte[] expandSparse(byte[] seed, int imageSize) {
    byte[] img = new byte[imageSize];
    ByteBuffer b = ByteBuffer.wrap(seed);
    while (b.remaining() >= 6) {
      long sector = b.getInt() & 0xffffffffL;
      int count = b.getShort() & 0xffff;
      int len = Math.min(count * 512, b.remaining());
      long off = sector * 512;
      if (off >= imageSize) {
        b.position(b.position() + len);
        continue;
      }
      int n = (int) Math.min(len, imageSize - off);
      b.get(img, (int) off, n);
      b.position(b.position() + (len - n));
    }
    return img;
  }

  /** Builds a sparse seed from an image: every run of non-zero 512-byte sectors. */
  public static byte[] makeSparse(byte[] img) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int sectors = img.length / 512;
    int i = 0;
    while (i < sectors) {
      if (zero(img, i)) {
        i++;
        continue;
      }
      int j = i;
      while (j < sectors && !zero(img, j) && j - i < 65535) {
        j++;
      }
      ByteBuffer h = ByteBuffer.allocate(6).putInt(i).putShort((short) (j - i));
      out.write(h.array(), 0, 6);
      out.write(img, i * 512, (j - i) * 512);
      i = j;
    }
    return out.toByteArray();
  }

  private static boolean zero(byte[] img, int sector) {
    for (int k = sector * 512; k < sector * 512 + 512; k++) {
      if (img[k] != 0) {
        return false;
      }
    }
    return true;
  }
}
