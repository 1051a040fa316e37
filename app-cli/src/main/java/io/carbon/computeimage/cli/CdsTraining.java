package io.carbon.computeimage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The training run of the launcher's class-data sharing archive: {@code image-cli} runs this once
 * after a build with {@code -XX:DumpLoadedClassList}, and the JVM then maps the classes it loaded
 * from one archive instead of reading, verifying and linking them from the jars at every start
 * (docs/convert.md: ~0.07 s of a conversion's 0.3 s). It runs in-process, with no output, the
 * commands whose start-up matters: a container pull from a registry of its own on 127.0.0.1
 * ({@link TrainingRegistry}), help, {@code distros}, {@code ls}, {@code info}, and conversions
 * of images it writes into the given directory (a small qcow2 with a data, a zero, a
 * zlib-compressed and an unallocated cluster, valid for {@code qemu-img check}; its raw and VHD
 * conversions).
 */
public final class CdsTraining {
  private static final int CLUSTER_BITS = 16;
  private static final int CLUSTER = 1 << CLUSTER_BITS;

  private CdsTraining() {}

  /**
   * Runs the training commands.
   *
   * @param args one argument: an empty directory to work in (the caller removes it)
   * @throws IOException when the directory cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CdsTraining <empty work directory>");
    }
    // the classes of the entry point and of the real environment (created, never used)
    if (Main.STOP_GRACE.isNegative() || CliEnvironment.system(new CancelSignal()) == null) {
      throw new AssertionError();
    }
    Path dir = Path.of(args[0]);
    Path qcow2 = dir.resolve("train.qcow2");
    Files.write(qcow2, qcow2Image());
    String root = dir.resolve("root").toString();
    String raw = dir.resolve("train.raw").toString();
    String vhd = dir.resolve("train.vhd").toString();
    CliEnvironment env =
        new CliEnvironment(
            new PrintWriter(Writer.nullWriter()),
            new PrintWriter(Writer.nullWriter()),
            false,
            80,
            dir.resolve("root"),
            System::nanoTime,
            ComputeImageFactory.standard(null),
            CancelSignal.none());
    try (TrainingRegistry registry = new TrainingRegistry()) {
      // the pull's classes: registry client, HTTP, JSON, digests, layer store (it fails
      // harmlessly at the unpack when not root)
      ImageCli.execute(new String[] {"pull", "container", registry.reference(), "--dir", root}, env);
      ImageCli.execute(new String[] {"info", "container", registry.reference(), "--dir", root}, env);
    }
    for (List<String> line :
        List.of(
            List.of("--help"),
            List.of("convert", "--help"),
            List.of("distros"),
            List.of("ls", "--dir", root),
            List.of("info", "vm", "ubuntu:24.04", "--arch", "amd64", "--dir", root),
            List.of("convert", "--no-sync", qcow2.toString(), raw),
            List.of("convert", raw, vhd),
            List.of("convert", "--format", "raw", vhd, dir.resolve("back.img").toString()))) {
      ImageCli.execute(line.toArray(new String[0]), env);
    }
  }

  /**
   * @return a version 3 qcow2 of four 64 KiB clusters: data, zero, zlib-compressed, unallocated
   *     (with its refcounts, so that qemu-img accepts it too)
   */
  static byte[] qcow2Image() {
    byte[] pattern = new byte[CLUSTER];
    for (int i = 0; i < CLUSTER; i++) {
      pattern[i] = (byte) (i * 31 / 7);
    }
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(pattern);
    deflater.finish();
    byte[] compressed = new byte[CLUSTER];
    int compressedLength = deflater.deflate(compressed);
    deflater.end();
    int sectors = (compressedLength + 511) / 512;
    long refcountTable = CLUSTER;
    long refcountBlock = 2L * CLUSTER;
    long l1 = 3L * CLUSTER;
    long l2 = 4L * CLUSTER;
    long data = 5L * CLUSTER;
    long packed = 6L * CLUSTER;
    ByteBuffer b = ByteBuffer.allocate((int) packed + sectors * 512).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0, 0x514649fb); // "QFI\xfb"
    b.putInt(4, 3); // version
    b.putInt(20, CLUSTER_BITS);
    b.putLong(24, 4L * CLUSTER); // virtual size
    b.putInt(36, 1); // l1_size
    b.putLong(40, l1);
    b.putLong(48, refcountTable);
    b.putInt(56, 1); // refcount_table_clusters
    b.putInt(96, 4); // refcount_order: 16-bit refcounts
    b.putInt(100, 104); // header_length; the zero bytes after it end the extension list
    b.putLong((int) refcountTable, refcountBlock);
    for (int cluster = 0; cluster <= 6; cluster++) {
      b.putShort((int) refcountBlock + 2 * cluster, (short) 1);
    }
    long copied = 1L << 63; // refcount 1
    b.putLong((int) l1, l2 | copied);
    b.putLong((int) l2, data | copied);
    b.putLong((int) l2 + 8, 1); // reads as zeros
    int offsetBits = 62 - (CLUSTER_BITS - 8);
    b.putLong((int) l2 + 16, (1L << 62) | ((long) (sectors - 1) << offsetBits) | packed);
    b.put((int) data, pattern);
    b.put((int) packed, compressed, 0, compressedLength);
    return b.array();
  }
}
