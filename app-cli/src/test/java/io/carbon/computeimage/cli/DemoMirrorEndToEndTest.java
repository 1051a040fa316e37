package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.application.HostDetector;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.testkit.boot.QemuBoot;
import io.carbon.computeimage.testkit.demo.DemoMirror;
import io.carbon.computeimage.testkit.disk.QemuImg;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline demo ({@code scripts/demo-mirror.sh}, README "Try it without internet access"):
 * {@link DemoMirror} builds the default images into a cache and writes the mirror tree; served
 * over HTTP, {@code image-cli pull vm ... --extract-kernel --registry} pulls each of them, the disk
 * equals {@code qemu-img convert}'s, and the extracted Ubuntu kernel and initrd boot to the marker.
 */
final class DemoMirrorEndToEndTest {
  /** The kernel cache the other boot tests use (DebianKernel keeps one per JVM). */
  private static final Path KERNEL_CACHE = Path.of("/var/tmp/compute-image-test-kernel");

  @TempDir Path cache;
  @TempDir Path root;

  @Test
  void demoMirror_defaultImages_pullWithExtractKernelAndBoot() throws Exception {
    DistroCatalogs catalogs = PluginRegistry.load(getClass().getClassLoader(), List.of(),
        HostDetector.detect()).catalogs();
    List<DemoMirror.Request> requests = new ArrayList<>();
    for (String ref : DemoMirror.DEFAULT_IMAGES) {
      requests.add(DemoMirror.request(ref, catalogs.require(ref.substring(0, ref.indexOf(':')))));
    }
    assertThat(DemoMirror.DEFAULT_IMAGES).containsExactly("ubuntu:24.04", "debian:12");

    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (TestHttpServer server = TestHttpServer.serving(DemoMirror.mirrorRoot(cache, port), port)) {
      List<DemoMirror.Published> published =
          DemoMirror.build(cache, KERNEL_CACHE, requests, server.baseUri());

      // the real mirrors' paths and checksum files, with listings to find the newest build
      Path tree = DemoMirror.mirrorRoot(cache, port);
      assertThat(tree.resolve("releases/noble/release-20250101/ubuntu-24.04-server-cloudimg-amd64.img")).isRegularFile();
      assertThat(tree.resolve("releases/noble/release/ubuntu-24.04-server-cloudimg-amd64.img")).isRegularFile();
      assertThat(Files.readString(tree.resolve("releases/noble/release-20250101/SHA256SUMS")))
          .contains(published.get(0).image().digest().hex() + " *ubuntu-24.04-server-cloudimg-amd64.img\n");
      assertThat(tree.resolve("releases/noble/index.html")).content().contains("href=\"release-20250101/\"");
      assertThat(Files.readString(tree.resolve("images/cloud/bookworm/20250101-2000/SHA512SUMS")))
          .contains(published.get(1).image().digest().hex() + "  debian-12-genericcloud-amd64-20250101-2000.qcow2\n");
      assertThat(tree.resolve("images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2")).isRegularFile();

      for (DemoMirror.Published p : published) {
        CliHarness.Result r = CliHarness.withClassPathPlugins(root).run("pull", "vm",
            p.request().reference(), "--arch", "amd64", "--extract-kernel", "--registry",
            server.origin(), "--dir", root.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(server.requests(p.image().diskUri().getPath())).as("the dated build").isNotEmpty();

        Path dir = root.resolve("127.0.0.1:" + server.port()).resolve(p.image().distro())
            .resolve(p.image().version()).resolve("amd64");
        Path expected = cache.resolve(p.image().distro() + "-expected.raw");
        QemuImg.convertToRaw(p.disk().qcow2(), expected);
        assertThat(Files.mismatch(dir.resolve("disk.img"), expected)).isEqualTo(-1L);
        assertThat(dir.resolve("vmlinuz")).hasSameBinaryContentAs(KERNEL_CACHE.resolve("vmlinuz"));
        assertThat(dir.resolve("initrd")).isNotEmptyFile();
        assertThat(dir.resolve("cmdline")).hasContent(p.disk().commandLine());
      }

      DemoMirror.Published ubuntu = published.get(0);
      Path dir = root.resolve("127.0.0.1:" + server.port()).resolve("ubuntu/24.04/amd64");
      String console = QemuBoot.boot(dir.resolve("vmlinuz"), dir.resolve("initrd"),
          Files.readString(dir.resolve("cmdline")).trim(), 90);
      assertThat(console).contains(ubuntu.disk().marker());

      // a second run reuses the cached disks: same file, same marker
      FileTime built = Files.getLastModifiedTime(ubuntu.disk().qcow2());
      List<DemoMirror.Published> again =
          DemoMirror.build(cache, KERNEL_CACHE, requests, server.baseUri());
      assertThat(again.get(0).disk()).isEqualTo(ubuntu.disk());
      assertThat(Files.getLastModifiedTime(ubuntu.disk().qcow2())).isEqualTo(built);
      assertThat(again.get(0).image().digest()).isEqualTo(ubuntu.image().digest());
    }
  }
}
