package io.carbon.computeimage.adapter.convert.fs.xfs;

import static io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads mkfs.xfs-made filesystems populated through a loop mount and compares with the kernel. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class XfsFilesystemTest {
  static final long LEAF_BLOCK_BYTES = 1L << 35;
  static final long FREE_BLOCK_BYTES = 1L << 36;

  private Path work;
  private final Map<String, Fixture> fixtures = new HashMap<>();

  record Fixture(Path image, Path copy, String uuid) {}

  @BeforeAll
  void setUp() throws IOException {
    work = FsFixtures.tempDir("xfs-reader-test");
  }

  @AfterAll
  void tearDown() throws IOException {
    FsFixtures.deleteTree(work);
  }

  /** mkfs options per variant. */
  private static List<String> mkfsOptions(String variant) {
    switch (variant) {
      case "v5":
        return List.of();
      case "v5-bigtime-sparse-nrext64":
        return List.of("-m", "bigtime=1,inobtcount=1,reflink=1", "-i", "sparse=1,nrext64=1");
      case "v4":
        return List.of("-m", "crc=0");
      default:
        throw new IllegalArgumentException(variant);
    }
  }

  Fixture fixture(String variant) throws Exception {
    Fixture f = fixtures.get(variant);
    if (f != null) {
      return f;
    }
    Path image = work.resolve(variant + ".img");
    try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(new byte[1]), 320L * 1024 * 1024 - 1);
    }
    // mkfs.xfs 6.1 with -q and -p writes corrupt AG headers: no -q here
    List<String> cmd = new ArrayList<>(List.of("mkfs.xfs", "-f"));
    cmd.addAll(mkfsOptions(variant));
    Path copy = work.resolve(variant + "-copy");
    if (variant.equals("v4")) {
      // the kernel no longer mounts v4: populate through an mkfs protofile instead
      Files.createDirectories(copy);
      populate(copy, false);
      Path proto = work.resolve(variant + ".proto");
      Files.writeString(proto, protofile(copy));
      cmd.add("-p");
      cmd.add(proto.toString());
      cmd.add(image.toString());
      run(cmd);
    } else {
      cmd.add(image.toString());
      run(cmd);
      try (FsFixtures.LoopMount m = FsFixtures.LoopMount.mount(image, "", work)) {
        populate(m.dir(), true);
        run("cp", "-a", m.dir() + "/.", copy.toString() + "/");
      }
    }
    String uuid = run("blkid", "-p", "-s", "UUID", "-o", "value", image.toString()).trim();
    f = new Fixture(image, copy, uuid);
    fixtures.put(variant, f);
    return f;
  }

  /** An mkfs.xfs protofile that recreates a host directory tree. */
  static String protofile(Path root) throws IOException {
    StringBuilder sb = new StringBuilder("/dev/null\n0 0\nd--755 0 0\n");
    protoDir(root, sb, 1);
    sb.append("$\n");
    return sb.toString();
  }

  private static void protoDir(Path dir, StringBuilder sb, int depth) throws IOException {
    List<Path> kids;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      kids = s.sorted().toList();
    }
    String indent = " ".repeat(depth);
    for (Path p : kids) {
      String name = p.getFileName().toString();
      if (Files.isSymbolicLink(p)) {
        sb.append(indent).append(name).append(" l--777 0 0 ")
            .append(Files.readSymbolicLink(p)).append('\n');
      } else if (Files.isDirectory(p)) {
        sb.append(indent).append(name).append(" d--755 0 0\n");
        protoDir(p, sb, depth + 1);
        sb.append(indent).append("$\n");
      } else if (Files.isRegularFile(p)) {
        sb.append(indent).append(name).append(" ---644 0 0 ").append(p).append('\n');
      } else {
        sb.append(indent).append(name).append(" p--644 0 0\n");
      }
    }
  }

  /** Writes files and directories that exercise every directory and fork format. */
  static void populate(Path root, boolean full) throws Exception {
    Random rnd = new Random(42);
    Files.write(root.resolve("hello.txt"), "hello xfs\n".getBytes());
    Files.write(root.resolve("empty"), new byte[0]);
    Path sf = Files.createDirectories(root.resolve("sf"));
    for (int i = 0; i < 3; i++) {
      Files.write(sf.resolve("s" + i), ("s" + i).getBytes());
    }
    Files.createDirectory(root.resolve("emptydir"));
    manyFiles(Files.createDirectories(root.resolve("block")), 40, 8, rnd);
    manyFiles(Files.createDirectories(root.resolve("leaf")), 400, 20, rnd);
    manyFiles(Files.createDirectories(root.resolve("node")), 1500, 40, rnd);
    if (full) {
      btreeDirectory(root);
    }
    tail(root, rnd, full ? 100 : 20);
  }

  /** A directory with every other data block freed, so its data space has many holes. */
  static void btreeDirectory(Path root) throws Exception {
    Path bt = Files.createDirectories(root.resolve("btree"));
    List<Path> names = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      Path p = bt.resolve(String.format("f%05d_%s", i, "x".repeat(180)));
      Files.write(p, new byte[0]);
      names.add(p);
    }
    run("sync");
    for (int g = 1; g < 2000 / 18; g += 2) {
      for (Path p : names.subList(g * 18, (g + 1) * 18)) {
        Files.delete(p);
      }
    }
  }

  static void tail(Path root, Random rnd, long sparseMiB) throws Exception {
    byte[] big = new byte[5 * 1024 * 1024 + 77];
    rnd.nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    // a file with many extents (holes punched every other block) and unwritten extents
    Path frag = root.resolve("frag.bin");
    byte[] fragData = new byte[2 * 1024 * 1024];
    rnd.nextBytes(fragData);
    Files.write(frag, fragData);
    List<String> io = new ArrayList<>(List.of("xfs_io"));
    for (int off = 4096; off < fragData.length; off += 8192) {
      io.add("-c");
      io.add("fpunch " + off + " 4096");
    }
    io.add("-c");
    io.add("falloc 3m 512k");
    io.add("-c");
    io.add("pwrite -S 0x5a 3200k 8k");
    io.add(frag.toString());
    run(io);
    // interleaved synchronous writes: two files whose extents alternate
    try (FileChannel a = FileChannel.open(root.resolve("inter-a.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel b = FileChannel.open(root.resolve("inter-b.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      byte[] chunk = new byte[8192];
      for (int i = 0; i < 40; i++) {
        rnd.nextBytes(chunk);
        a.write(ByteBuffer.wrap(chunk));
        a.force(false);
        rnd.nextBytes(chunk);
        b.write(ByteBuffer.wrap(chunk));
        b.force(false);
      }
    }
    try (FileChannel s = FileChannel.open(root.resolve("sparse.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      s.write(ByteBuffer.wrap("start".getBytes()), 0);
      // mkfs.xfs 6.1 -p corrupts AG headers for files larger than an AG: keep v4's smaller
      s.write(ByteBuffer.wrap("middle".getBytes()), sparseMiB / 2 * 1024 * 1024);
      s.write(ByteBuffer.wrap("end".getBytes()), sparseMiB * 1024 * 1024);
    }
    Files.createSymbolicLink(root.resolve("link-local"), Path.of("big.bin"));
    Files.createSymbolicLink(root.resolve("link-abs"), Path.of("/sf/s1"));
    Files.createSymbolicLink(root.resolve("link-dir"), Path.of("node"));
    Files.createSymbolicLink(root.resolve("link-loop"), Path.of("link-loop"));
    StringBuilder longTarget = new StringBuilder();
    while (longTarget.length() < 900) {
      longTarget.append("a-long-directory-name/");
    }
    longTarget.append("hello.txt");
    Files.createSymbolicLink(root.resolve("link-remote"), Path.of(longTarget.toString()));
    run("mknod", root.resolve("fifo").toString(), "p");
    run("sync");
  }

  static void manyFiles(Path dir, int count, int nameLen, Random rnd) throws IOException {
    for (int i = 0; i < count; i++) {
      String name = String.format("%05d-", i) + "n".repeat(Math.max(0, nameLen - 6));
      byte[] data = new byte[rnd.nextInt(64)];
      rnd.nextBytes(data);
      Files.write(dir.resolve(name), data);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v5", "v5-bigtime-sparse-nrext64", "v4"})
  void readTree_mkfsImage_matchesKernelView(String variant) throws Exception {
    Fixture f = fixture(variant);
    try (RawFileDevice dev = RawFileDevice.open(f.image());
        XfsFilesystem fs = XfsFilesystem.open(dev)) {
      assertThat(fs.type()).isEqualTo("xfs");
      assertThat(fs.uuid()).isEqualTo(f.uuid());
      assertThat(fs.isV5()).isEqualTo(!variant.equals("v4"));
      int n = FsFixtures.compareTree(fs, fs.root(), f.copy());
      assertThat(n).isGreaterThan(1900);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v5", "v5-bigtime-sparse-nrext64", "v4"})
  void formats_mkfsImage_coverEveryDirectoryAndForkFormat(String variant) throws Exception {
    Fixture f = fixture(variant);
    try (RawFileDevice dev = RawFileDevice.open(f.image());
        XfsFilesystem fs = XfsFilesystem.open(dev)) {
      FsPaths paths = new FsPaths(fs);
      XfsInode sf = (XfsInode) paths.resolve("/sf").orElseThrow();
      assertThat(sf.format).isEqualTo(XfsInode.FORMAT_LOCAL);
      XfsInode block = (XfsInode) paths.resolve("/block").orElseThrow();
      assertThat(block.format).isEqualTo(XfsInode.FORMAT_EXTENTS);
      assertThat(maxFileOffset(dev, fs, block)).isLessThan(LEAF_BLOCK_BYTES);
      XfsInode leaf = (XfsInode) paths.resolve("/leaf").orElseThrow();
      assertThat(maxFileOffset(dev, fs, leaf)).isBetween(LEAF_BLOCK_BYTES, FREE_BLOCK_BYTES - 1);
      XfsInode node = (XfsInode) paths.resolve("/node").orElseThrow();
      assertThat(maxFileOffset(dev, fs, node)).isGreaterThanOrEqualTo(FREE_BLOCK_BYTES);
      if (variant.equals("v4")) {
        return; // protofile-made: no punched holes, no freed directory blocks
      }
      XfsInode bt = (XfsInode) paths.resolve("/btree").orElseThrow();
      assertThat(bt.format).isEqualTo(XfsInode.FORMAT_BTREE);
      XfsInode frag = (XfsInode) paths.resolve("/frag.bin").orElseThrow();
      assertThat(frag.format).isEqualTo(XfsInode.FORMAT_BTREE);
      XfsInode local = (XfsInode) paths.resolveNoFollow("/link-local").orElseThrow();
      assertThat(local.format).isEqualTo(XfsInode.FORMAT_LOCAL);
      XfsInode remote = (XfsInode) paths.resolveNoFollow("/link-remote").orElseThrow();
      assertThat(remote.format).isEqualTo(XfsInode.FORMAT_EXTENTS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v5"})
  void resolve_symlinks_followInsideFilesystem(String variant) throws Exception {
    Fixture f = fixture(variant);
    try (RawFileDevice dev = RawFileDevice.open(f.image());
        XfsFilesystem fs = XfsFilesystem.open(dev)) {
      FsPaths paths = new FsPaths(fs);
      FsNode viaAbs = paths.resolve("/link-abs").orElseThrow();
      try (InputStream in = fs.open(viaAbs)) {
        assertThat(new String(in.readAllBytes())).isEqualTo("s1");
      }
      assertThat(paths.resolve("/link-dir/00007-" + "n".repeat(34))).isPresent();
      assertThat(paths.resolve("/link-local").orElseThrow().size()).isEqualTo(5 * 1024 * 1024 + 77);
      assertThat(paths.resolve("/missing/x")).isEmpty();
      assertThat(paths.resolve("/fifo").orElseThrow().kind()).isEqualTo(NodeKind.OTHER);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> paths.resolve("/link-loop"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("too many levels");
    }
  }

  private static long maxFileOffset(RawFileDevice dev, XfsFilesystem fs, XfsInode dir)
      throws IOException {
    XfsExtentMap map = XfsExtentMap.read(dev, fs.superblock(), dir);
    XfsExtent last = map.get(map.count() - 1);
    return last.fileBlock() * fs.superblock().blockSize();
  }
}
