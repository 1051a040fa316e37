package io.carbon.computeimage.adapter.convert.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.testkit.boot.Cmd;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionTableReaderTest {
  @TempDir Path tmp;

  private Path ubuntuLikeGpt() {
    Path img = tmp.resolve("gpt.img");
    Cmd.sh("truncate -s 64M " + img + " && sgdisk -o"
        + " -n 14:2048:+4M -t 14:ef02 -n 15:0:+8M -t 15:ef00 -n 13:0:+16M -t 13:ea00 -c 13:BOOT"
        + " -n 1:0:0 -t 1:8304 -c 1:cloudimg-rootfs " + img + " >/dev/null");
    return img;
  }

  @Test
  void read_gpt_findsPartitionsByNumberAndType() throws Exception {
    Path img = ubuntuLikeGpt();
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      PartitionTable t = PartitionTableReader.read(dev);
      assertThat(t.scheme()).isEqualTo(PartitionScheme.GPT);
      assertThat(t.partitions()).extracting(Partition::number).containsExactly(1, 13, 14, 15);
      Partition boot = t.partitions().get(1);
      assertThat(boot.isXbootldr()).isTrue();
      assertThat(boot.name()).isEqualTo("BOOT");
      assertThat(boot.sizeBytes()).isEqualTo(16L << 20);
      assertThat(t.partitions().get(0).isDiscoverableRoot()).isTrue();
      assertThat(t.partitions().get(3).isEsp()).isTrue();
      String partuuid = Cmd.run("sgdisk", "-i", "1", img.toString());
      assertThat(partuuid.toLowerCase()).contains(t.partitions().get(0).uniqueGuid());
      assertThat(t.notes()).isEmpty();
    }
  }

  @Test
  void read_gptPrimaryCorrupted_usesBackupHeader() throws Exception {
    Path img = ubuntuLikeGpt();
    corrupt(img, 512 + 40);
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      PartitionTable t = PartitionTableReader.read(dev);
      assertThat(t.scheme()).isEqualTo(PartitionScheme.GPT);
      assertThat(t.partitions()).hasSize(4);
      assertThat(t.notes()).singleElement().asString().contains("backup");
    }
  }

  @Test
  void read_gptEntriesCorrupted_usesBackupEntries() throws Exception {
    Path img = ubuntuLikeGpt();
    corrupt(img, 1024 + 40);
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      PartitionTable t = PartitionTableReader.read(dev);
      assertThat(t.partitions()).hasSize(4);
      assertThat(t.notes()).singleElement().asString().contains("CRC32");
    }
  }

  @Test
  void read_gptBothHeadersCorrupted_throwsMalformed() throws Exception {
    Path img = ubuntuLikeGpt();
    corrupt(img, 512 + 40);
    corrupt(img, (64L << 20) - 512 + 40);
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      assertThatThrownBy(() -> PartitionTableReader.read(dev))
          .isInstanceOf(MalformedDiskIOException.class).hasMessageContaining("GPT");
    }
  }

  @Test
  void read_gpt4kSectors_isRead() throws Exception {
    Path img = tmp.resolve("gpt4k.img");
    Cmd.sh("truncate -s 64M " + img + " && printf 'label: gpt\\nsector-size: 4096\\n"
        + "start=256, size=2048, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\\n"
        + "start=2304, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4\\n' | sfdisk -q " + img);
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      PartitionTable t = PartitionTableReader.read(dev);
      assertThat(t.partitions()).extracting(Partition::startByte).containsExactly(256L * 4096, 2304L * 4096);
    }
  }

  @Test
  void read_mbrWithLogicalPartitions_followsEbrChain() throws Exception {
    Path img = tmp.resolve("mbr.img");
    Cmd.sh("truncate -s 64M " + img + " && printf 'label: dos\\n"
        + "mbr.img1 : start=2048, size=8192, type=ef, bootable\\n"
        + "mbr.img2 : start=10240, size=40960, type=5\\n"
        + "mbr.img5 : size=8192, type=83\\nmbr.img6 : size=8192, type=83\\nmbr.img7 : size=8192, type=82\\n' | sfdisk -q " + img);
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      PartitionTable t = PartitionTableReader.read(dev);
      assertThat(t.scheme()).isEqualTo(PartitionScheme.MBR);
      List<Partition> p = t.partitions();
      assertThat(p).extracting(Partition::number).containsExactly(1, 5, 6, 7);
      assertThat(p).extracting(Partition::mbrType).containsExactly(0xEF, 0x83, 0x83, 0x82);
      String dump = Cmd.run("sfdisk", "-d", img.toString()).replaceAll(" +", " ");
      for (Partition x : p) {
        assertThat(dump).contains("mbr.img" + x.number() + " : start= " + x.startByte() / 512
            + ", size= " + x.sizeBytes() / 512);
      }
    }
  }

  @Test
  void read_mbrEbrLoop_throwsMalformed() throws Exception {
    Path img = tmp.resolve("loop.img");
    Cmd.sh("truncate -s 64M " + img + " && printf 'label: dos\\n"
        + "loop.img1 : start=10240, size=40960, type=5\\nloop.img5 : size=8192, type=83\\n"
        + "loop.img6 : size=8192, type=83\\n' | sfdisk -q " + img);
    // make the second EBR link back to the first (relative offset 0 is "end"; use the second itself)
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer first = ByteBuffer.allocate(512);
      ch.read(first, 10240L * 512);
      long nextRel = (first.get(446 + 16 + 8) & 0xFF) | (first.get(446 + 16 + 9) & 0xFF) << 8
          | (first.get(446 + 16 + 10) & 0xFF) << 16;
      long second = 10240L + nextRel;
      ByteBuffer link = ByteBuffer.allocate(16);
      link.put(4, (byte) 5);
      link.putInt(8, Integer.reverseBytes((int) nextRel));
      link.putInt(12, Integer.reverseBytes(8192));
      ch.write(link, second * 512 + 446 + 16);
    }
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      assertThatThrownBy(() -> PartitionTableReader.read(dev))
          .isInstanceOf(MalformedDiskIOException.class).hasMessageContaining("loops");
    }
  }

  @Test
  void read_bareExt4_isOneWholeDiskPartition() throws Exception {
    Path img = tmp.resolve("bare.img");
    Cmd.sh("mke2fs -q -F -t ext4 -O ^64bit " + img + " 32M");
    try (RawFileDevice dev = RawFileDevice.open(img)) {
      PartitionTable t = PartitionTableReader.read(dev);
      assertThat(t.scheme()).isEqualTo(PartitionScheme.NONE);
      assertThat(t.partitions()).singleElement().satisfies(p -> {
        assertThat(p.number()).isZero();
        assertThat(p.sizeBytes()).isEqualTo(32L << 20);
      });
    }
  }

  private static String pad(long v) {
    return String.format("%8d", v).trim();
  }

  private static void corrupt(Path img, long offset) throws Exception {
    try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x5A, 0x5A, 0x5A, 0x5A}), offset);
    }
  }
}
