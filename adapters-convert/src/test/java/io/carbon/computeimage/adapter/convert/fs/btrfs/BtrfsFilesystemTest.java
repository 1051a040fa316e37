package io.carbon.computeimage.adapter.convert.fs.btrfs;

import static io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures;
import io.carbon.computeimage.adapter.convert.fs.xfs.FsFixtures.LoopMount;
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

/**
 * Reads mkfs.btrfs-made filesystems populated through loop mounts (plain, zstd, zlib and lzo
 * writes, subvolumes with an openSUSE-like snapshot default) and compares with the kernel's view.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BtrfsFilesystemTest {
  private Path work;
  private final Map<String, Fixture> fixtures = new HashMap<>();

  record Fixture(Path image, Path defaultCopy, Path topCopy, String uuid, long defaultId) {}

  @BeforeAll
  void setUp() throws IOException {
    work = FsFixtures.tempDir("btrfs-reader-test");
  }

  @AfterAll
  void tearDown() throws IOException {
    FsFixtures.deleteTree(work);
  }

  private static List<String> mkfsOptions(String variant) {
    switch (variant) {
      case "default":
        return List.of();
      case "small-nodes-dup-holes":
        return List.of("-n", "4096", "-d", "dup", "-m", "dup", "-O", "^no-holes");
      case "single":
        return List.of("-d", "single", "-m", "single");
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
      ch.write(ByteBuffer.wrap(new byte[1]), 400L * 1024 * 1024 - 1);
    }
    List<String> cmd = new ArrayList<>(List.of("mkfs.btrfs", "-q", "-f"));
    cmd.addAll(mkfsOptions(variant));
    cmd.add(image.toString());
    run(cmd);
    Random rnd = new Random(7);
    try (LoopMount m = LoopMount.mount(image, "", work)) {
      Path root = m.dir();
      populatePlain(root, rnd);
      run("mount", "-o", "remount,compress-force=zstd", root.toString());
      compressedSet(Files.createDirectory(root.resolve("zstd")), rnd);
      subvolumes(root, rnd);
      run("mount", "-o", "remount,compress-force=zlib", root.toString());
      compressedSet(Files.createDirectory(root.resolve("zlib")), rnd);
      run("mount", "-o", "remount,compress-force=lzo", root.toString());
      compressedSet(Files.createDirectory(root.resolve("lzo")), rnd);
      run("sync");
    }
    Path defaultCopy = Files.createDirectory(work.resolve(variant + "-default"));
    Path topCopy = Files.createDirectory(work.resolve(variant + "-top"));
    long defaultId;
    try (LoopMount m = LoopMount.mount(image, "ro", work)) {
      run("cp", "-a", m.dir() + "/.", defaultCopy + "/");
      defaultId = Long.parseLong(run("btrfs", "inspect-internal", "rootid", m.dir().toString()).trim());
    }
    try (LoopMount m = LoopMount.mount(image, "ro,subvolid=5", work)) {
      run("cp", "-a", m.dir() + "/.", topCopy + "/");
    }
    String uuid = run("blkid", "-p", "-s", "UUID", "-o", "value", image.toString()).trim();
    f = new Fixture(image, defaultCopy, topCopy, uuid, defaultId);
    fixtures.put(variant, f);
    return f;
  }

  static byte[] compressible(Random rnd, int size) {
    byte[] b = new byte[size];
    String[] words = {"kernel ", "initrd ", "vmlinuz ", "btrfs ", "subvolume ", "\n", "extent "};
    int p = 0;
    while (p < size) {
      if (rnd.nextInt(8) == 0) {
        int n = Math.min(size - p, 1 + rnd.nextInt(40));
        for (int i = 0; i < n; i++) {
          b[p++] = (byte) rnd.nextInt(256);
        }
      } else {
        byte[] w = words[rnd.nextInt(words.length)].getBytes();
        int n = Math.min(size - p, w.length);
        System.arraycopy(w, 0, b, p, n);
        p += n;
      }
    }
    return b;
  }

  static void compressedSet(Path dir, Random rnd) throws Exception {
    Files.write(dir.resolve("empty"), new byte[0]);
    Files.write(dir.resolve("tiny.txt"), compressible(rnd, 100));
    Files.write(dir.resolve("inline.txt"), compressible(rnd, 2500));
    Files.write(dir.resolve("medium.bin"), compressible(rnd, 200_000));
    Files.write(dir.resolve("large.bin"), compressible(rnd, 1_500_013));
    byte[] random = new byte[300_001];
    rnd.nextBytes(random);
    Files.write(dir.resolve("random.bin"), random);
    try (FileChannel s = FileChannel.open(dir.resolve("sparse.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      s.write(ByteBuffer.wrap(compressible(rnd, 70_000)), 0);
      s.write(ByteBuffer.wrap(compressible(rnd, 9_000)), 5L * 1024 * 1024 + 17);
    }
    Files.createSymbolicLink(dir.resolve("link"), Path.of("large.bin"));
  }

  static void populatePlain(Path root, Random rnd) throws Exception {
    Files.write(root.resolve("hello.txt"), "hello btrfs\n".getBytes());
    Path many = Files.createDirectory(root.resolve("many"));
    for (int i = 0; i < 1500; i++) {
      Files.write(many.resolve(String.format("file-%05d-%s", i, "m".repeat(i % 50))),
          compressible(rnd, rnd.nextInt(3000)));
    }
    byte[] big = new byte[3 * 1024 * 1024 + 5];
    rnd.nextBytes(big);
    Files.write(root.resolve("big.bin"), big);
    try (FileChannel a = FileChannel.open(root.resolve("inter-a.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel b = FileChannel.open(root.resolve("inter-b.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      byte[] chunk = new byte[8192];
      for (int i = 0; i < 30; i++) {
        rnd.nextBytes(chunk);
        a.write(ByteBuffer.wrap(chunk));
        a.force(false);
        rnd.nextBytes(chunk);
        b.write(ByteBuffer.wrap(chunk));
        b.force(false);
      }
    }
    Path pre = root.resolve("prealloc.bin");
    run("xfs_io", "-f", "-c", "falloc 0 1m", "-c", "pwrite -S 0x61 300k 8k", "-c", "falloc 2m 64k",
        pre.toString());
    try (FileChannel s = FileChannel.open(root.resolve("sparse.bin"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      s.write(ByteBuffer.wrap("start".getBytes()), 0);
      s.write(ByteBuffer.wrap("middle".getBytes()), 20L * 1024 * 1024);
      s.write(ByteBuffer.wrap("end".getBytes()), 40L * 1024 * 1024 + 3);
    }
    Files.createSymbolicLink(root.resolve("link-rel"), Path.of("many/file-00003-mmm"));
    Files.createSymbolicLink(root.resolve("link-abs"), Path.of("/hello.txt"));
    StringBuilder longTarget = new StringBuilder();
    while (longTarget.length() < 3000) {
      longTarget.append("some-directory/");
    }
    Files.createSymbolicLink(root.resolve("link-long"), Path.of(longTarget.toString()));
    run("mknod", root.resolve("fifo").toString(), "p");
  }

  /** openSUSE-like subvolumes: @, @/.snapshots, @/.snapshots/1/snapshot (made the default). */
  static void subvolumes(Path root, Random rnd) throws Exception {
    Path at = root.resolve("@");
    run("btrfs", "-q", "subvolume", "create", at.toString());
    run("btrfs", "-q", "subvolume", "create", at.resolve(".snapshots").toString());
    Files.createDirectory(at.resolve(".snapshots/1"));
    Path snap = at.resolve(".snapshots/1/snapshot");
    run("btrfs", "-q", "subvolume", "create", snap.toString());
    Path boot = Files.createDirectories(snap.resolve("boot"));
    Files.write(boot.resolve("vmlinuz-6.4.0-1-default"), compressible(rnd, 400_000));
    Files.write(boot.resolve("initrd-6.4.0-1-default"), compressible(rnd, 700_000));
    Files.createSymbolicLink(boot.resolve("vmlinuz"), Path.of("vmlinuz-6.4.0-1-default"));
    Files.createDirectories(snap.resolve("etc"));
    Files.write(snap.resolve("etc/os-release"), "NAME=openSUSE\n".getBytes());
    run("btrfs", "-q", "subvolume", "create", snap.resolve("home").toString());
    Files.write(snap.resolve("home/user.txt"), "nested subvolume\n".getBytes());
    // a snapshot of @: its nested subvolumes show up as empty directories
    run("btrfs", "-q", "subvolume", "snapshot", at.toString(), root.resolve("@snap").toString());
    run("btrfs", "subvolume", "set-default", snap.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "small-nodes-dup-holes", "single"})
  void readTree_defaultSubvolume_matchesKernelView(String variant) throws Exception {
    Fixture f = fixture(variant);
    try (RawFileDevice dev = RawFileDevice.open(f.image());
        BtrfsFilesystem fs = BtrfsFilesystem.open(dev)) {
      assertThat(fs.type()).isEqualTo("btrfs");
      assertThat(fs.uuid()).isEqualTo(f.uuid());
      assertThat(fs.defaultSubvolumeId()).isEqualTo(f.defaultId()).isNotEqualTo(BtrfsFilesystem.FS_TREE);
      assertThat(FsFixtures.compareTree(fs, fs.root(), f.defaultCopy())).isGreaterThan(5);
      FsPaths paths = new FsPaths(fs);
      try (InputStream in = fs.open(paths.resolve("/home/user.txt").orElseThrow())) {
        assertThat(new String(in.readAllBytes())).isEqualTo("nested subvolume\n");
      }
      assertThat(paths.resolve("/boot/vmlinuz").orElseThrow().size()).isEqualTo(400_000);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "small-nodes-dup-holes", "single"})
  void readTree_topLevelSubvolume_matchesKernelView(String variant) throws Exception {
    Fixture f = fixture(variant);
    try (RawFileDevice dev = RawFileDevice.open(f.image());
        BtrfsFilesystem fs = BtrfsFilesystem.open(dev)) {
      FsNode top = fs.subvolumeRoot(BtrfsFilesystem.FS_TREE);
      assertThat(FsFixtures.compareTree(fs, top, f.topCopy())).isGreaterThan(1500);
      BtrfsNode many = (BtrfsNode) fs.lookup(top, "many").orElseThrow();
      assertThat(many.tree().level()).as("FS tree spans several leaves").isGreaterThanOrEqualTo(1);
      FsNode snap = fs.lookup(top, "@snap").orElseThrow();
      BtrfsNode emptied = (BtrfsNode) fs.lookup(snap, ".snapshots").orElseThrow();
      assertThat(fs.list(emptied)).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"default"})
  void open_compressedFiles_useEveryCompressionType(String variant) throws Exception {
    Fixture f = fixture(variant);
    try (RawFileDevice dev = RawFileDevice.open(f.image());
        BtrfsFilesystem fs = BtrfsFilesystem.open(dev)) {
      FsPaths paths = new FsPaths(fs);
      FsNode top = fs.subvolumeRoot(BtrfsFilesystem.FS_TREE);
      Map<String, Integer> types = Map.of("zlib", 1, "lzo", 2, "zstd", 3);
      for (Map.Entry<String, Integer> t : types.entrySet()) {
        FsNode dir = fs.lookup(top, t.getKey()).orElseThrow();
        BtrfsNode large = (BtrfsNode) fs.lookup(dir, "large.bin").orElseThrow();
        BtrfsNode inline = (BtrfsNode) fs.lookup(dir, "inline.txt").orElseThrow();
        assertThat(extentCompressions(fs, large)).as("%s large.bin", t.getKey()).containsOnly(t.getValue());
        assertThat(extentCompressions(fs, inline)).as("%s inline.txt", t.getKey()).containsOnly(t.getValue());
        assertThat(fs.extents(inline)[0].type()).isEqualTo(BtrfsFileExtent.INLINE);
      }
      BtrfsNode pre = (BtrfsNode) fs.lookup(top, "prealloc.bin").orElseThrow();
      List<Integer> kinds = new ArrayList<>();
      for (BtrfsFileExtent e : fs.extents(pre)) {
        kinds.add(e.type());
      }
      assertThat(kinds).contains(BtrfsFileExtent.PREALLOC, BtrfsFileExtent.REGULAR);
      assertThat(paths.resolve("/boot/../../../etc/os-release")).isPresent();
      assertThat(paths.resolve("/etc/missing/x")).isEmpty();
    }
  }

  private static List<Integer> extentCompressions(BtrfsFilesystem fs, BtrfsNode n) throws IOException {
    List<Integer> out = new ArrayList<>();
    for (BtrfsFileExtent e : fs.extents(n)) {
      out.add(e.compression());
    }
    return out;
  }
}
