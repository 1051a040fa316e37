package io.carbon.computeimage.adapter.convert.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.disk.BootFiles;
import io.carbon.computeimage.ports.disk.KernelOptions;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.boot.BuiltLayout;
import io.carbon.computeimage.testkit.boot.DistroLayout;
import io.carbon.computeimage.testkit.boot.QemuBoot;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.testkit.boot.Cmd;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Extracts the boot files of each distro layout and boots them in QEMU. */
class DiskKernelExtractorBootTest {
  @TempDir Path out;

  @Test
  void extract_uncompressedKernel_writesVmlinuxThatBootsThroughPvh() throws Exception {
    BuiltLayout disk = LayoutFixtures.get(DistroLayout.DEBIAN);
    BootFiles files = new DiskKernelExtractor().extract(disk.qcow2(), out, new KernelOptions(true),
        ProgressListener.NONE, Cancellation.NONE);
    assertThat(files.extraFiles()).containsExactly(out.resolve("vmlinux"));
    byte[] head = Arrays.copyOf(Files.readAllBytes(out.resolve("vmlinux")), 4);
    assertThat(head).containsExactly(0x7F, 'E', 'L', 'F');
    String console = QemuBoot.boot(out.resolve("vmlinux"), files.initrd(), files.commandLine(), 60);
    assertThat(console).as("PVH boot of the extracted vmlinux").contains(disk.marker());
  }

  @Test
  void extract_diskWithoutKernel_throwsNotFoundNamingWhatWasSeen() throws Exception {
    Path disk = out.resolve("empty.raw");
    Cmd.sh("truncate -s 40M " + disk + " && sgdisk -o -n 1:2048:+1M -t 1:ef02 -n 2:4096:+30M -t 2:8300 "
        + disk + " >/dev/null && truncate -s 30M " + out.resolve("p2") + " && mkfs.ext4 -q "
        + out.resolve("p2") + " && dd if=" + out.resolve("p2") + " of=" + disk
        + " bs=1M seek=2 conv=notrunc status=none");
    assertThatThrownBy(() -> new DiskKernelExtractor().extract(disk, out.resolve("o"),
        KernelOptions.defaults(), ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(disk.toString())
        .hasMessageContaining("p1 (bios-boot")
        .hasMessageContaining("p2 (type 0fc63daf-8483-4772-8e79-3d69d8477de4")
        .hasMessageContaining("ext4");
    assertThat(out.resolve("o")).doesNotExist();
  }

  @Test
  void extract_garbageDisk_throwsMalformedOrNotFound() throws Exception {
    Path disk = out.resolve("garbage.raw");
    byte[] junk = new byte[4 << 20];
    new java.util.Random(1).nextBytes(junk);
    Files.write(disk, junk);
    assertThatThrownBy(() -> new DiskKernelExtractor().extract(disk, out.resolve("o"),
        KernelOptions.defaults(), ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOfAny(NotFoundException.class, MalformedImageException.class)
        .hasMessageContaining(disk.toString());
  }

  @ParameterizedTest
  @EnumSource(DistroLayout.class)
  void extract_distroLayout_bootsToTheDefaultKernelsInitrd(DistroLayout layout) throws Exception {
    BuiltLayout disk = LayoutFixtures.get(layout);
    BootFiles files = new DiskKernelExtractor().extract(disk.qcow2(), out, KernelOptions.defaults(),
        ProgressListener.NONE, Cancellation.NONE);

    assertThat(files.kernelVersion()).isEqualTo(disk.kernelVersion());
    assertThat(files.commandLine()).isEqualTo(disk.commandLine());
    assertThat(Files.readString(files.cmdline()).trim()).isEqualTo(disk.commandLine());
    assertThat(Files.mismatch(files.kernel(), disk.kernel())).isEqualTo(-1L);
    try (var s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("vmlinuz", "initrd", "cmdline");
    }

    String console = QemuBoot.boot(files.kernel(), files.initrd(), files.commandLine(), 60);
    assertThat(console).as("serial console of %s", layout).contains(disk.marker());
    assertThat(console).contains("CMDLINE=console=ttyS0 " + disk.commandLine() + " panic=-1");
  }
}
