package io.carbon.computeimage.adapter.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.disk.BuiltDisk;
import io.carbon.computeimage.testkit.disk.Qcow2Options;
import io.carbon.computeimage.testkit.disk.Qcow2Options.Compression;
import io.carbon.computeimage.testkit.disk.QemuImg;
import io.carbon.computeimage.testkit.disk.ToolRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QcowDiskConverterTest {
  @TempDir Path tmp;
  private final QcowDiskConverter converter = new QcowDiskConverter();

  static Stream<Arguments> variants() {
    return Stream.of(
        Arguments.of("gpt", Qcow2Options.v3(Compression.ZLIB)),
        Arguments.of("gpt", Qcow2Options.v3(Compression.ZSTD)),
        Arguments.of("gpt", Qcow2Options.v3(Compression.NONE)),
        Arguments.of("gpt", Qcow2Options.v2(Compression.ZLIB)),
        Arguments.of("gpt", Qcow2Options.v2(Compression.NONE)),
        Arguments.of("gpt", Qcow2Options.v3(Compression.ZSTD).withClusterSize(4096)),
        Arguments.of("gpt", Qcow2Options.v3(Compression.ZLIB).withClusterSize(2 << 20)),
        Arguments.of("gpt", Qcow2Options.v2(Compression.NONE).withClusterSize(512)),
        Arguments.of("mbr", Qcow2Options.v3(Compression.ZSTD)),
        Arguments.of("mbr", Qcow2Options.v2(Compression.ZLIB).withClusterSize(16384)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("variants")
  void convert_qemuMadeQcow2_rawIdenticalToQemuImgAndAsSparse(String disk, Qcow2Options opts)
      throws Exception {
    BuiltDisk built = disk.equals("gpt") ? DiskFixtures.gpt() : DiskFixtures.mbr();
    Path qcow2 = built.toQcow2(tmp.resolve("in.qcow2"), opts);
    assertConvertsLikeQemu(qcow2);
  }

  @Test
  void convert_extendedL2Subclusters_rawIdenticalToQemuImg() throws Exception {
    Path qcow2 = tmp.resolve("ext.qcow2");
    QemuImg.run("convert", "-f", "raw", "-O", "qcow2", "-o",
        "compat=1.1,extended_l2=on,cluster_size=65536", DiskFixtures.gpt().raw().toString(),
        qcow2.toString());
    // partial-cluster writes make subclusters with mixed allocation and zero status
    QemuImg.qemuIo(qcow2, "write -P 0x33 4k 4k", "write -z 70k 6k", "write -z 1M 64k",
        "discard 40M 64k");
    assertThat(QemuImg.info(qcow2)).contains("\"extended-l2\": true");
    assertConvertsLikeQemu(qcow2);
  }

  @Test
  void convert_v3ZeroClusters_readAsZeroAndLeftAsHoles() throws Exception {
    Path qcow2 = DiskFixtures.gpt().toQcow2(tmp.resolve("z.qcow2"),
        Qcow2Options.v3(Compression.NONE));
    QemuImg.qemuIo(qcow2, "write -z 13M 3M", "write -z 30M 1M");
    assertThat(QemuImg.map(qcow2)).contains("\"zero\": true, \"data\": false");
    assertConvertsLikeQemu(qcow2);
  }

  @Test
  void convert_toVhd_qemuReadsFixedVpcEqualToRawAndNotSparse() throws Exception {
    Path qcow2 = DiskFixtures.gpt().toQcow2(tmp.resolve("in.qcow2"),
        Qcow2Options.v3(Compression.ZSTD));
    Path vhd = tmp.resolve("disk.vhd");
    ConversionResult r = converter.convert(qcow2, vhd, DiskFormat.VHD_FIXED,
        ProgressListener.NONE, Cancellation.NONE);
    long size = DiskFixtures.gpt().sizeBytes();
    assertThat(r.format()).isEqualTo(DiskFormat.VHD_FIXED);
    assertThat(Files.size(vhd)).isEqualTo(size + 512);
    // qemu does not probe fixed VHDs (the footer is their only signature): open as vpc
    String info = QemuImg.info(vhd, "vpc");
    assertThat(info).contains("\"format\": \"vpc\"");
    assertThat(QemuImg.virtualSize(vhd, "vpc")).isEqualTo(size);
    assertThat(QemuImg.compare(vhd, "vpc", DiskFixtures.gpt().raw(), "raw")).isTrue();
    assertThat(ToolRunner.allocatedBlocks(vhd) * 512).isGreaterThanOrEqualTo(size + 512);
    assertThat(converter.detect(vhd)).isEqualTo(DiskFormat.VHD_FIXED);

    Path back = tmp.resolve("back.raw");
    converter.convert(vhd, back, DiskFormat.RAW, ProgressListener.NONE, Cancellation.NONE);
    assertThat(Files.mismatch(back, DiskFixtures.gpt().raw())).isEqualTo(-1);
  }

  @Test
  void convert_rawToVhdAndRawToRaw_contentKeptAndRawStaysSparse() throws Exception {
    Path raw = DiskFixtures.mbr().raw();
    Path vhd = tmp.resolve("m.vhd");
    converter.convert(raw, vhd, DiskFormat.VHD_FIXED, ProgressListener.NONE, Cancellation.NONE);
    assertThat(QemuImg.virtualSize(vhd, "vpc")).isEqualTo(Files.size(raw));
    assertThat(QemuImg.compare(vhd, "vpc", raw, "raw")).isTrue();
    Path copy = tmp.resolve("copy.raw");
    ConversionResult r = converter.convert(raw, copy, DiskFormat.RAW, ProgressListener.NONE,
        Cancellation.NONE);
    assertThat(r.sourceFormat()).isEqualTo(DiskFormat.RAW);
    assertThat(Files.mismatch(copy, raw)).isEqualTo(-1);
    Path ref = tmp.resolve("ref.raw");
    QemuImg.convertToRaw(raw, ref);
    assertThat(ToolRunner.allocatedBlocks(copy))
        .isLessThanOrEqualTo(ToolRunner.allocatedBlocks(ref) * 105 / 100);
  }

  @Test
  void convert_reportsProgressUpToTheVirtualSize() throws Exception {
    Path qcow2 = DiskFixtures.gpt().toQcow2(tmp.resolve("p.qcow2"),
        Qcow2Options.v3(Compression.ZLIB));
    List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    ProgressListener l = new ProgressListener() {
      @Override
      public void progressed(String taskId, long completedBytes) {
        seen.add(completedBytes);
      }
    };
    converter.convert(qcow2, tmp.resolve("p.raw"), DiskFormat.RAW, l, Cancellation.NONE);
    assertThat(seen).isNotEmpty().isSorted();
    assertThat(seen.get(seen.size() - 1)).isEqualTo(DiskFixtures.gpt().sizeBytes());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "vdi, VirtualBox VDI", "qed, QED", "parallels, Parallels", "vmdk, VMDK", "vhdx, VHDX"
  })
  void detect_otherImageFormatsMadeByQemuImg_refusedNotCopiedAsRaw(String fmt, String name)
      throws Exception {
    Path image = tmp.resolve("disk." + fmt);
    QemuImg.run("create", "-f", fmt, image.toString(), "64M");
    Path out = tmp.resolve("out.raw");

    assertThatThrownBy(() -> converter.convert(image, out, DiskFormat.RAW, ProgressListener.NONE,
        Cancellation.NONE))
        .isInstanceOf(io.carbon.computeimage.ports.error.UnsupportedFeatureException.class)
        .hasMessageContaining(image.toString())
        .hasMessageContaining(name);
    assertThat(out).doesNotExist();
  }

  @Test
  void convert_tinyRawToVhd_reportsTheSectorRoundedSizeAsVirtualAndData() throws Exception {
    Path raw = Files.write(tmp.resolve("six.raw"), new byte[] {1, 2, 3, 4, 5, 6});
    Path vhd = tmp.resolve("six.vhd");
    ConversionResult r = converter.convert(raw, vhd, DiskFormat.VHD_FIXED, ProgressListener.NONE,
        Cancellation.NONE);
    assertThat(QemuImg.virtualSize(vhd, "vpc")).isEqualTo(512);
    assertThat(r.virtualSize()).isEqualTo(512);
    assertThat(r.dataBytes()).isEqualTo(512);
  }

  @Test
  void detect_qcow2AndRaw() throws Exception {
    Path qcow2 = DiskFixtures.gpt().toQcow2(tmp.resolve("d.qcow2"),
        Qcow2Options.v3(Compression.NONE));
    assertThat(converter.detect(qcow2)).isEqualTo(DiskFormat.QCOW2);
    assertThat(converter.detect(DiskFixtures.gpt().raw())).isEqualTo(DiskFormat.RAW);
  }

  private void assertConvertsLikeQemu(Path qcow2) throws Exception {
    Path expected = tmp.resolve("expected.raw");
    QemuImg.convertToRaw(qcow2, expected);
    Path ours = tmp.resolve("sub").resolve("disk.img");
    ConversionResult r = converter.convert(qcow2, ours, DiskFormat.RAW, ProgressListener.NONE,
        Cancellation.NONE);
    assertThat(r.sourceFormat()).isEqualTo(DiskFormat.QCOW2);
    assertThat(r.virtualSize()).isEqualTo(QemuImg.virtualSize(qcow2));
    assertThat(Files.size(ours)).isEqualTo(Files.size(expected));
    long mismatch = Files.mismatch(ours, expected);
    assertThat(mismatch).as("first differing byte").isEqualTo(-1L);
    long oursBlocks = ToolRunner.allocatedBlocks(ours);
    long qemuBlocks = ToolRunner.allocatedBlocks(expected);
    assertThat(oursBlocks).as("allocated 512-byte blocks, qemu-img has %d", qemuBlocks)
        .isLessThanOrEqualTo(qemuBlocks * 105 / 100);
    try (var s = Files.list(ours.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("disk.img");
    }
  }
}
