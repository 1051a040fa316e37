package io.carbon.computeimage.adapter.convert;

import io.carbon.computeimage.testkit.disk.BuiltDisk;
import io.carbon.computeimage.testkit.disk.DataFiles;
import io.carbon.computeimage.testkit.disk.DiskImageBuilder;
import io.carbon.computeimage.testkit.disk.Fill;
import io.carbon.computeimage.testkit.disk.FsType;
import io.carbon.computeimage.testkit.disk.PartitionSpec;
import io.carbon.computeimage.testkit.disk.PartitionType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Disks shared by the conversion tests, built once per JVM: a GPT disk (vfat ESP, a raw
 * mixed-content partition, ext4 root with files) and an MBR disk (XFS and btrfs).
 */
final class DiskFixtures {
  private static Path dir;
  private static BuiltDisk gpt;
  private static BuiltDisk mbr;

  private DiskFixtures() {}

  static synchronized Path dir() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("convert-fixtures-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path d = dir;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> DataFiles.deleteTree(d)));
    }
    return dir;
  }

  /** A 72 MiB GPT disk with real filesystems and zero, hole, random and compressible regions. */
  static synchronized BuiltDisk gpt() {
    if (gpt == null) {
      Path root = DataFiles.tree(dir().resolve("root"), 12, 14L << 20, 11);
      Path esp = DataFiles.tree(dir().resolve("esp"), 4, 2L << 20, 5);
      gpt = DiskImageBuilder.gpt(72L << 20)
          .partition(PartitionSpec.of(FsType.VFAT, 12L << 20).withName("EFI").withLabel("ESP")
              .withContent(esp))
          .partition(PartitionSpec.of(FsType.NONE, 8L << 20).withFill(Fill.MIXED, 3))
          .partition(PartitionSpec.rest(FsType.EXT4).withType(PartitionType.LINUX_ROOT_X86_64)
              .withLabel("cloudimg-rootfs").withContent(root))
          .build(dir().resolve("gpt.raw"));
    }
    return gpt;
  }

  /** A 200 MiB MBR disk with XFS and btrfs. */
  static synchronized BuiltDisk mbr() {
    if (mbr == null) {
      Path boot = DataFiles.tree(dir().resolve("boot"), 4, 3L << 20, 21);
      mbr = DiskImageBuilder.mbr(200L << 20)
          .partition(PartitionSpec.of(FsType.XFS, 64L << 20).withLabel("boot").withContent(boot)
              .asBootable())
          .partition(PartitionSpec.rest(FsType.BTRFS).withLabel("root").withContent(boot))
          .build(dir().resolve("mbr.raw"));
    }
    return mbr;
  }
}
