package io.carbon.computeimage.adapter.convert.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.disk.BootFiles;
import io.carbon.computeimage.ports.disk.KernelOptions;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.boot.BuiltLayout;
import io.carbon.computeimage.testkit.boot.DistroLayout;
import io.carbon.computeimage.testkit.boot.QemuBoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Extracts the boot files of each distro layout and boots them in QEMU. */
class DiskKernelExtractorBootTest {
  @TempDir Path out;

  @ParameterizedTest
  @EnumSource(value = DistroLayout.class, names = {"UBUNTU_2204", "UBUNTU_2404", "UBUNTU_2510",
      "DEBIAN", "ALPINE_MBR", "ALPINE_BARE", "EL9", "EL8"})
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
