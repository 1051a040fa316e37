package io.carbon.computeimage.testkit.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds raw disk images with a real partition table (GPT or MBR, written by {@code sfdisk}) and
 * real filesystems (ext4, XFS, btrfs, vfat), populated from directories, plus raw partitions with
 * random, compressible, zero or hole content. The raw file is sparse; convert it with {@link
 * BuiltDisk#toQcow2} or {@link QemuImg}.
 *
 * <pre>{@code
 * Path root = DataFiles.tree(tmp.resolve("root"), 20, 8 << 20, 42);
 * BuiltDisk disk = DiskImageBuilder.gpt(64L << 20)
 *     .partition(PartitionSpec.of(FsType.VFAT, 8 << 20).withName("EFI"))
 *     .partition(PartitionSpec.of(FsType.NONE, 4 << 20).withFill(Fill.MIXED, 7))
 *     .partition(PartitionSpec.rest(FsType.EXT4).withLabel("cloudimg-rootfs").withContent(root))
 *     .build(tmp.resolve("disk.raw"));
 * Path qcow2 = disk.toQcow2(tmp.resolve("disk.qcow2"), Qcow2Options.v3(Compression.ZSTD));
 * }</pre>
 *
 * <p>ext4 and btrfs are populated by mkfs itself ({@code -d}, {@code --rootdir}), vfat with
 * {@code mcopy} (mtools), XFS through a loop mount (needs root; the loop device is always
 * detached). Each filesystem is made
 * in a temporary file beside the disk and copied in sparsely. Partitions start at 1 MiB and are
 * 1 MiB aligned; on GPT the last MiB is left for the backup table.
 *
 * @since 0.1
 */
public final class DiskImageBuilder {
  private static final long MIB = 1 << 20;
  private static final int BLOCK = 64 * 1024;

  private final long sizeBytes;
  private final boolean gpt;
  private final List<PartitionSpec> specs = new ArrayList<>();

  private DiskImageBuilder(long sizeBytes, boolean gpt) {
    if (sizeBytes < 4 * MIB || sizeBytes % MIB != 0) {
      throw new IllegalArgumentException("disk size must be a multiple of 1 MiB >= 4 MiB");
    }
    this.sizeBytes = sizeBytes;
    this.gpt = gpt;
  }

  /**
   * Starts a GPT disk.
   *
   * @param sizeBytes the disk size (multiple of 1 MiB)
   * @return the builder
   */
  public static DiskImageBuilder gpt(long sizeBytes) {
    return new DiskImageBuilder(sizeBytes, true);
  }

  /**
   * Starts an MBR (DOS label) disk.
   *
   * @param sizeBytes the disk size (multiple of 1 MiB)
   * @return the builder
   */
  public static DiskImageBuilder mbr(long sizeBytes) {
    return new DiskImageBuilder(sizeBytes, false);
  }

  /**
   * Adds a partition (in order). Only the last one may use {@link PartitionSpec#rest}.
   *
   * @param spec the partition
   * @return this builder
   */
  public DiskImageBuilder partition(PartitionSpec spec) {
    specs.add(spec);
    return this;
  }

  /**
   * Writes the raw disk.
   *
   * @param raw the output file (replaced)
   * @return the disk and its partition layout
   */
  public BuiltDisk build(Path raw) {
    List<BuiltDisk.Partition> parts = layout();
    try {
      Files.deleteIfExists(raw);
      try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        ch.truncate(sizeBytes);
        writeZeroAt(ch, sizeBytes - 1); // make the length real without allocating
      }
      ToolRunner.runWithInput(sfdiskScript(parts), "sfdisk", "--no-reread", "--no-tell-kernel",
          "-q", raw.toString());
      for (BuiltDisk.Partition p : parts) {
        fillPartition(raw, p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("building " + raw, e);
    }
    return new BuiltDisk(raw, sizeBytes, gpt, parts);
  }

  private List<BuiltDisk.Partition> layout() {
    List<BuiltDisk.Partition> parts = new ArrayList<>();
    long end = gpt ? sizeBytes - MIB : sizeBytes;
    long next = MIB;
    for (int i = 0; i < specs.size(); i++) {
      PartitionSpec s = specs.get(i);
      long size = s.sizeBytes();
      if (size == 0) {
        if (i != specs.size() - 1) {
          throw new IllegalArgumentException("only the last partition may take the rest");
        }
        size = end - next;
      }
      if (size <= 0 || next + size > end) {
        throw new IllegalArgumentException("partitions do not fit in " + sizeBytes + " bytes");
      }
      if (!gpt && specs.size() > 4) {
        throw new IllegalArgumentException("MBR supports 4 primary partitions here");
      }
      parts.add(new BuiltDisk.Partition(i + 1, next, size, s));
      next += size;
    }
    return parts;
  }

  private String sfdiskScript(List<BuiltDisk.Partition> parts) {
    StringBuilder sb = new StringBuilder();
    sb.append("label: ").append(gpt ? "gpt" : "dos").append("\nunit: sectors\n");
    for (BuiltDisk.Partition p : parts) {
      PartitionSpec s = p.spec();
      sb.append("start=").append(p.startBytes() / 512).append(", size=")
          .append(p.sizeBytes() / 512).append(", type=")
          .append(gpt ? s.type().gptGuid() : s.type().mbrType());
      if (gpt && s.name() != null) {
        sb.append(", name=\"").append(s.name().replace("\"", "")).append('"');
      }
      if (!gpt && s.bootable()) {
        sb.append(", bootable");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private void fillPartition(Path raw, BuiltDisk.Partition p) throws IOException {
    PartitionSpec s = p.spec();
    if (s.fs() == FsType.NONE) {
      try (FileChannel ch = FileChannel.open(raw, StandardOpenOption.WRITE)) {
        writeFill(ch, p.startBytes(), p.sizeBytes(), s.fill(), s.seed());
      }
      return;
    }
    Path fsImage = Files.createTempFile(raw.toAbsolutePath().getParent(), "fs-" + p.number(), ".img");
    try {
      try (FileChannel ch = FileChannel.open(fsImage, StandardOpenOption.WRITE)) {
        ch.truncate(0);
        writeZeroAt(ch, p.sizeBytes() - 1);
      }
      makeFilesystem(fsImage, s);
      copySparse(fsImage, raw, p.startBytes());
    } finally {
      Files.deleteIfExists(fsImage);
    }
  }

  private static void makeFilesystem(Path img, PartitionSpec s) {
    String f = img.toString();
    List<String> cmd = new ArrayList<>();
    switch (s.fs()) {
      case EXT4 -> {
        cmd.addAll(List.of("mkfs.ext4", "-q", "-F"));
        if (s.label() != null) {
          cmd.addAll(List.of("-L", s.label()));
        }
        if (s.content() != null) {
          cmd.addAll(List.of("-d", s.content().toString()));
        }
        cmd.add(f);
        ToolRunner.run(cmd);
      }
      case BTRFS -> {
        cmd.addAll(List.of("mkfs.btrfs", "-q", "-f"));
        if (s.label() != null) {
          cmd.addAll(List.of("-L", s.label()));
        }
        if (s.content() != null) {
          cmd.addAll(List.of("--rootdir", s.content().toString()));
        }
        cmd.add(f);
        ToolRunner.run(cmd);
      }
      case XFS -> {
        cmd.addAll(List.of("mkfs.xfs", "-q", "-f"));
        if (s.label() != null) {
          cmd.addAll(List.of("-L", s.label()));
        }
        cmd.add(f);
        // xfsprogs >= 5.19 refuses filesystems < 300 MB unless run under fstests
        ToolRunner.Result r = ToolRunner.runAllowingFailure(cmd, null,
            Map.of("TEST_DIR", "/tmp", "TEST_DEV", f, "QA_CHECK_FS", "1"));
        if (r.exitCode() != 0) {
          throw new IllegalStateException(r.describe());
        }
        if (s.content() != null) {
          LoopMount.populate(img, s.content(), true);
        }
      }
      case VFAT -> {
        cmd.addAll(List.of("mkfs.vfat"));
        if (s.label() != null) {
          cmd.addAll(List.of("-n", s.label()));
        }
        cmd.add(f);
        ToolRunner.run(cmd);
        if (s.content() != null) {
          // mtools, not a loop mount: many container kernels lack the vfat module
          List<String> mcopy = new ArrayList<>(List.of("mcopy", "-s", "-Q", "-i", f));
          try (var entries = Files.list(s.content())) {
            entries.sorted().forEach(e -> mcopy.add(e.toString()));
          } catch (IOException e) {
            throw new UncheckedIOException("listing " + s.content(), e);
          }
          if (mcopy.size() > 5) {
            mcopy.add("::/");
            ToolRunner.run(mcopy);
          }
        }
      }
      default -> throw new IllegalArgumentException("no filesystem for " + s.fs());
    }
  }

  /**
   * Writes a fill pattern into {@code [start, start+length)} of a channel.
   *
   * @param ch the channel
   * @param start the first byte
   * @param length the length (multiple of 64 KiB)
   * @param fill the pattern
   * @param seed the seed
   * @throws IOException on write failure
   */
  static void writeFill(FileChannel ch, long start, long length, Fill fill, long seed)
      throws IOException {
    Random r = new Random(seed);
    byte[] text = DataFiles.compressibleBytes((int) MIB, seed);
    byte[] buf = new byte[BLOCK];
    for (long off = 0; off < length; off += BLOCK) {
      int n = (int) Math.min(BLOCK, length - off);
      Fill f = fill;
      if (fill == Fill.MIXED) {
        f = Fill.values()[(int) ((off / MIB) % 4)];
      }
      switch (f) {
        case HOLE -> {
          continue;
        }
        case ZEROS -> java.util.Arrays.fill(buf, (byte) 0);
        case RANDOM -> r.nextBytes(buf);
        case COMPRESSIBLE -> System.arraycopy(text, (int) (off % MIB), buf, 0, BLOCK);
        default -> throw new IllegalStateException(f.name());
      }
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
      while (bb.hasRemaining()) {
        ch.write(bb, start + off + bb.position());
      }
    }
  }

  private static void copySparse(Path from, Path to, long offset) throws IOException {
    try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(to, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.allocate(BLOCK);
      long size = in.size();
      for (long pos = 0; pos < size; pos += BLOCK) {
        buf.clear();
        while (buf.hasRemaining() && in.read(buf, pos + buf.position()) > 0) {
          // keep reading
        }
        buf.flip();
        if (isZero(buf)) {
          continue;
        }
        while (buf.hasRemaining()) {
          out.write(buf, offset + pos + buf.position());
        }
      }
    }
  }

  private static boolean isZero(ByteBuffer b) {
    for (int i = b.position(); i < b.limit(); i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static void writeZeroAt(FileChannel ch, long pos) throws IOException {
    ch.write(ByteBuffer.allocate(1), pos);
  }
}
