package io.carbon.computeimage.cli;

import io.carbon.computeimage.testkit.disk.BuiltDisk;
import io.carbon.computeimage.testkit.disk.DiskImageBuilder;
import io.carbon.computeimage.testkit.disk.Fill;
import io.carbon.computeimage.testkit.disk.FsType;
import io.carbon.computeimage.testkit.disk.PartitionSpec;
import io.carbon.computeimage.testkit.disk.Qcow2Options;
import io.carbon.computeimage.testkit.disk.Qcow2Options.Compression;
import io.carbon.computeimage.testkit.disk.QemuImg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Disk fixtures shared by the end-to-end tests of this module, built once per test JVM with real
 * tools: a GPT disk with an EFI (vfat) and a root (ext4, with /boot holding a kernel and initrd)
 * partition, as qcow2 made by qemu-img uncompressed, zlib and zstd, each with its qemu-img raw
 * conversion; and a larger, incompressible qcow2 for interrupted downloads.
 */
final class E2eFixture {
  static final String KERNEL_VERSION = "6.1.0-99-amd64";
  private static E2eFixture instance;

  final Path dir;
  final Map<Compression, Path> qcow2 = new EnumMap<>(Compression.class);
  final Map<Compression, Path> expectedRaw = new EnumMap<>(Compression.class);
  final Path bigQcow2;
  final Path bigExpectedRaw;
  final byte[] kernelBytes;

  private E2eFixture() throws IOException {
    dir = Files.createTempDirectory("app-e2e-fixture-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
    Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
    Path boot = Files.createDirectories(rootfs.resolve("boot"));
    kernelBytes = new byte[300_000];
    new Random(7).nextBytes(kernelBytes);
    Files.write(boot.resolve("vmlinuz-" + KERNEL_VERSION), kernelBytes);
    Files.writeString(boot.resolve("initrd.img-" + KERNEL_VERSION), "initrd for " + KERNEL_VERSION);
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/os-release"), "ID=testos\nVERSION_ID=1\n");
    byte[] data = new byte[1 << 20];
    new Random(11).nextBytes(data);
    Files.write(rootfs.resolve("etc/blob.bin"), data);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      text.append("line ").append(i).append(" of a compressible file\n");
    }
    Files.writeString(rootfs.resolve("etc/words.txt"), text, StandardCharsets.UTF_8);
    Path esp = Files.createDirectories(dir.resolve("esp/EFI/BOOT"));
    Files.writeString(esp.resolve("README.TXT"), "efi");

    BuiltDisk disk =
        DiskImageBuilder.gpt(64L << 20)
            .partition(PartitionSpec.of(FsType.VFAT, 16L << 20).withContent(dir.resolve("esp")))
            .partition(PartitionSpec.rest(FsType.EXT4).withLabel("rootfs").withContent(rootfs))
            .build(dir.resolve("disk.raw"));
    for (Compression c : Compression.values()) {
      Path q = disk.toQcow2(dir.resolve("disk-" + c.name().toLowerCase() + ".qcow2"), Qcow2Options.v3(c));
      Path r = dir.resolve("expected-" + c.name().toLowerCase() + ".raw");
      QemuImg.convertToRaw(q, r);
      qcow2.put(c, q);
      expectedRaw.put(c, r);
    }
    BuiltDisk big =
        DiskImageBuilder.gpt(32L << 20)
            .partition(PartitionSpec.of(FsType.NONE, 12L << 20).withFill(Fill.RANDOM, 5))
            .build(dir.resolve("big.raw"));
    bigQcow2 = big.toQcow2(dir.resolve("big.qcow2"), Qcow2Options.v3(Compression.NONE));
    bigExpectedRaw = dir.resolve("big-expected.raw");
    QemuImg.convertToRaw(bigQcow2, bigExpectedRaw);
  }

  static synchronized E2eFixture get() {
    if (instance == null) {
      try {
        instance = new E2eFixture();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** Allocated bytes of a file (st_blocks * 512), as du reports them. */
  static long allocatedBytes(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.waitFor() != 0) {
      throw new IOException("stat failed: " + out);
    }
    return Long.parseLong(out) * 512;
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // best effort in a shutdown hook / cleanup
    }
  }
}
