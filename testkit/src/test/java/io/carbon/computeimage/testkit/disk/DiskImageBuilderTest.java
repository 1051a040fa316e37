package io.carbon.computeimage.testkit.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskImageBuilderTest {
  @TempDir Path tmp;

  @Test
  void build_gptWithEveryFilesystem_partitionTableAndFilesystemsAreReal() throws Exception {
    Path content = DataFiles.tree(tmp.resolve("content"), 6, 3 << 20, 1);
    Files.writeString(content.resolve("hello.txt"), "hello\n");
    BuiltDisk disk = DiskImageBuilder.gpt(200L << 20)
        .partition(PartitionSpec.of(FsType.VFAT, 16 << 20).withName("EFI").withLabel("ESP")
            .withContent(content))
        .partition(PartitionSpec.of(FsType.XFS, 40 << 20).withType(PartitionType.XBOOTLDR)
            .withLabel("boot").withContent(content))
        .partition(PartitionSpec.of(FsType.NONE, 4 << 20).withFill(Fill.MIXED, 3))
        .partition(PartitionSpec.of(FsType.BTRFS, 64 << 20).withLabel("bt").withContent(content))
        .partition(PartitionSpec.rest(FsType.EXT4).withLabel("cloudimg-rootfs")
            .withContent(content))
        .build(tmp.resolve("disk.raw"));

    String dump = ToolRunner.run("sfdisk", "--dump", disk.raw().toString()).stdout();
    assertThat(dump).contains("label: gpt").contains("C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
        .contains("name=\"EFI\"");
    assertThat(disk.partitions()).hasSize(5);
    for (BuiltDisk.Partition p : disk.partitions()) {
      if (p.spec().fs() == FsType.NONE) {
        continue;
      }
      String blkid = ToolRunner.run("blkid", "-p", "-O", Long.toString(p.startBytes()),
          "-S", Long.toString(p.sizeBytes()), disk.raw().toString()).stdout();
      String expected = switch (p.spec().fs()) {
        case VFAT -> "vfat";
        case XFS -> "xfs";
        case BTRFS -> "btrfs";
        case EXT4 -> "ext4";
        default -> "?";
      };
      assertThat(blkid).as("partition %d", p.number()).contains("TYPE=\"" + expected + "\"");
    }
    assertThat(ToolRunner.allocatedBlocks(disk.raw()) * 512).isLessThan(disk.sizeBytes() / 2);

    Path q = disk.toQcow2(tmp.resolve("d.qcow2"), Qcow2Options.v3(Qcow2Options.Compression.ZSTD));
    assertThat(QemuImg.format(q)).isEqualTo("qcow2");
    assertThat(QemuImg.virtualSize(q)).isEqualTo(200L << 20);
    assertThat(QemuImg.compare(q, disk.raw())).isTrue();
    LoopMount.withMounted(disk.raw(), disk.partitions().get(4).startBytes(),
        disk.partitions().get(4).sizeBytes(), mnt -> assertThat(mnt.resolve("hello.txt")).hasContent("hello"));
  }

  @Test
  void build_mbr_dosLabelWithBootableFlag() {
    BuiltDisk disk = DiskImageBuilder.mbr(16L << 20)
        .partition(PartitionSpec.of(FsType.NONE, 4 << 20).withFill(Fill.RANDOM, 1).asBootable())
        .partition(PartitionSpec.rest(FsType.EXT4))
        .build(tmp.resolve("mbr.raw"));
    String dump = ToolRunner.run("sfdisk", "--dump", disk.raw().toString()).stdout();
    assertThat(dump).contains("label: dos").contains("bootable").contains("type=83");
  }
}
