package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.application.HostDetector;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.boot.BuiltLayout;
import io.carbon.computeimage.testkit.boot.DebianKernel;
import io.carbon.computeimage.testkit.boot.DistroDisks;
import io.carbon.computeimage.testkit.boot.DistroLayout;
import io.carbon.computeimage.testkit.boot.QemuBoot;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code image-cli pull vm <ref> --extract-kernel} for every distro disk layout, against a local
 * mirror: the disks are built with real mkfs tools and loop mounts and hold the real Debian cloud
 * kernel with a marker initrd (plus decoy kernels); the extracted kernel and initrd are booted in
 * QEMU (TCG) and must print the marker only the default kernel's initrd prints, with the command
 * line the image's boot configuration gives.
 */
final class KernelLayoutsEndToEndTest {
  private static final Path KERNEL_CACHE = Path.of("/var/tmp/compute-image-test-kernel");

  /** The distro reference each layout is published as. */
  private static final Map<DistroLayout, String[]> REFS = new EnumMap<>(Map.ofEntries(
      Map.entry(DistroLayout.UBUNTU_2204, new String[] {"ubuntu", "22.04"}),
      Map.entry(DistroLayout.UBUNTU_2404, new String[] {"ubuntu", "24.04"}),
      Map.entry(DistroLayout.UBUNTU_2510, new String[] {"ubuntu", "25.10"}),
      Map.entry(DistroLayout.DEBIAN, new String[] {"debian", "13"}),
      Map.entry(DistroLayout.DEBIAN_12, new String[] {"debian", "12"}),
      Map.entry(DistroLayout.ALPINE_MBR, new String[] {"alpine", "3.22"}),
      Map.entry(DistroLayout.ALPINE_BARE, new String[] {"alpine", "3.21"}),
      Map.entry(DistroLayout.FEDORA, new String[] {"fedora", "41"}),
      Map.entry(DistroLayout.EL9, new String[] {"rocky", "9"}),
      Map.entry(DistroLayout.EL8, new String[] {"almalinux", "8"}),
      Map.entry(DistroLayout.OPENSUSE, new String[] {"opensuse", "tumbleweed"}),
      Map.entry(DistroLayout.ARCH, new String[] {"arch", "latest"})));

  private static Path work;
  private static Path mirror;
  private static TestHttpServer server;
  private static final Map<DistroLayout, BuiltLayout> built = new EnumMap<>(DistroLayout.class);
  private static final Map<DistroLayout, MirroredImage> published = new EnumMap<>(DistroLayout.class);

  @TempDir Path root;

  @BeforeAll
  static void buildAndPublish() throws Exception {
    work = Files.createTempDirectory("kernel-e2e-layouts-");
    mirror = Files.createTempDirectory("kernel-e2e-mirror-");
    server = TestHttpServer.serving(mirror);
    DistroCatalogs catalogs = PluginRegistry.load(KernelLayoutsEndToEndTest.class.getClassLoader(),
        List.of(), HostDetector.detect()).catalogs();
    MirrorTreeWriter writer = new MirrorTreeWriter(mirror, server.baseUri());
    Path kernel = DebianKernel.vmlinuz(KERNEL_CACHE);
    for (DistroLayout l : DistroLayout.values()) {
      BuiltLayout b = DistroDisks.build(l, work.resolve(l.id()), kernel);
      built.put(l, b);
      String[] ref = REFS.get(l);
      published.put(l, writer.write(catalogs.require(ref[0]), ref[1], Arch.AMD64, b.qcow2()));
      Files.delete(b.raw());
    }
  }

  @AfterAll
  static void cleanUp() {
    if (server != null) {
      server.close();
    }
    E2eFixture.deleteTree(mirror);
    E2eFixture.deleteTree(work);
  }

  @ParameterizedTest
  @EnumSource(DistroLayout.class)
  void pullVmExtractKernel_everyLayout_bootsToTheDefaultKernelsInitrd(DistroLayout layout)
      throws Exception {
    String[] ref = REFS.get(layout);
    CliHarness.Result r = CliHarness.withClassPathPlugins(root).run("pull", "vm",
        ref[0] + ":" + ref[1], "--arch", "amd64", "--extract-kernel", "--registry",
        server.origin(), "--dir", root.toString());
    assertThat(r.code()).as(r.err()).isZero();

    BuiltLayout disk = built.get(layout);
    Path dir = root.resolve("127.0.0.1:" + server.port()).resolve(ref[0])
        .resolve(published.get(layout).version()).resolve("amd64");
    assertThat(dir.resolve("cmdline")).hasContent(disk.commandLine());

    String console = QemuBoot.boot(dir.resolve("vmlinuz"), dir.resolve("initrd"),
        Files.readString(dir.resolve("cmdline")).trim(), 90);
    assertThat(console).as("serial console of %s", layout).contains(disk.marker());
    assertThat(console).contains("CMDLINE=console=ttyS0 " + disk.commandLine() + " panic=-1");
  }
}
