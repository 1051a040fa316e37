package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.application.HostDetector;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.disk.Qcow2Options.Compression;
import io.carbon.computeimage.testkit.disk.QemuImg;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code image-cli pull vm} end to end with the real adapters (transfer, distro catalogs,
 * converter, kernel extractor) against a local HTTP mirror holding every built-in distro's real
 * layout and checksum format, with qcow2 images made by qemu-img from a real GPT disk.
 */
final class VmPullEndToEndTest {
  /** One (distro, version) per built-in catalog, with the qcow2 flavour it serves. */
  static Stream<Arguments> distros() {
    return Stream.of(
        Arguments.of("ubuntu", "noble", Compression.ZLIB),
        Arguments.of("debian", "12", Compression.NONE),
        Arguments.of("fedora", "42", Compression.ZSTD),
        Arguments.of("opensuse", "tumbleweed", Compression.ZLIB),
        Arguments.of("rocky", "9", Compression.NONE),
        Arguments.of("almalinux", "9", Compression.ZSTD),
        Arguments.of("centos", "9", Compression.ZLIB),
        Arguments.of("alpine", "3.22", Compression.NONE),
        Arguments.of("arch", "latest", Compression.ZSTD));
  }

  private static E2eFixture fixture;
  private static TestHttpServer server;
  private static Path mirror;
  private static DistroCatalogs catalogs;
  private static final Map<String, MirroredImage> published = new HashMap<>();

  @TempDir Path root;

  @BeforeAll
  static void startMirror() throws Exception {
    fixture = E2eFixture.get();
    mirror = Files.createTempDirectory("app-e2e-mirror-");
    server = TestHttpServer.serving(mirror);
    catalogs =
        PluginRegistry.load(VmPullEndToEndTest.class.getClassLoader(), List.of(), HostDetector.detect()).catalogs();
    MirrorTreeWriter writer = new MirrorTreeWriter(mirror, server.baseUri());
    for (Arguments a : distros().toList()) {
      String name = (String) a.get()[0];
      String version = (String) a.get()[1];
      Compression c = (Compression) a.get()[2];
      published.put(name, writer.write(catalogs.require(name), version, Arch.AMD64, fixture.qcow2.get(c)));
    }
  }

  @AfterAll
  static void stopMirror() {
    if (server != null) {
      server.close();
    }
    E2eFixture.deleteTree(mirror);
  }

  private CliHarness cli() {
    return CliHarness.withClassPathPlugins(root);
  }

  private String registry() {
    return server.origin();
  }

  @ParameterizedTest(name = "{0}:{1} ({2})")
  @MethodSource("distros")
  void pullVm_everyDistroLayout_diskIdenticalToQemuImg(String name, String version, Compression c)
      throws Exception {
    CliHarness.Result r =
        cli().run("pull", "vm", name + ":" + version, "--arch", "amd64", "--registry", registry(), "--dir", root.toString());
    assertThat(r.code()).as(r.err()).isZero();

    MirroredImage img = published.get(name);
    Path dir = root.resolve("127.0.0.1:" + server.port()).resolve(name).resolve(img.version()).resolve("amd64");
    Path disk = dir.resolve("disk.img");
    assertThat(r.out()).contains("disk:    " + disk);
    Path expected = fixture.expectedRaw.get(c);
    assertThat(Files.size(disk)).isEqualTo(Files.size(expected));
    assertThat(Files.mismatch(disk, expected)).isEqualTo(-1L);
    assertThat(E2eFixture.allocatedBytes(disk))
        .isLessThanOrEqualTo((long) (E2eFixture.allocatedBytes(expected) * 1.05) + 65536);
    assertThat(root.resolve("cache").resolve(name + "-" + img.version() + "-amd64.qcow2"))
        .hasSameBinaryContentAs(fixture.qcow2.get(c));
    assertThat(server.requests(img.diskUri().getPath())).isNotEmpty();

    // pulled again: nothing downloaded, nothing converted, same disk
    server.clearRequests();
    CliHarness.Result again =
        cli().run("pull", "vm", name + ":" + version, "--arch", "amd64", "--registry", registry(), "--dir", root.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.err()).contains("up to date");
    assertThat(server.requests(img.diskUri().getPath())).isEmpty();

    CliHarness.Result ls = cli().run("ls", "--dir", root.toString(), "--json");
    assertThat(ls.out()).contains("\"reference\": \"" + name + ":" + img.version() + "\"").contains("\"status\": \"ready\"");
  }

  @Test
  void ls_sizeIsAllocatedNotVirtual_jsonShowsBoth() throws Exception {
    CliHarness.Result r =
        cli().run("pull", "vm", "debian:12", "--arch", "amd64", "--registry", registry(), "--dir", root.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path dir = root.resolve("127.0.0.1:" + server.port()).resolve("debian/12/amd64");
    Path disk = dir.resolve("disk.img");
    long allocated = E2eFixture.allocatedBytes(disk);
    long virtual = Files.size(disk);
    assertThat(allocated).as("the fixture disk is sparse").isLessThan(virtual / 4);

    CliHarness.Result json = cli().run("ls", "--dir", root.toString(), "--json");
    Matcher size = Pattern.compile("\"sizeBytes\": (\\d+)").matcher(json.out());
    assertThat(size.find()).as(json.out()).isTrue();
    long listed = Long.parseLong(size.group(1));
    assertThat(listed).as("allocated disk bytes plus the small files")
        .isBetween((long) (allocated * 0.9), (long) (allocated * 1.1) + 65536);
    assertThat(json.out()).contains("\"virtualSizeBytes\": " + virtual);

    CliHarness.Result table = cli().run("ls", "--dir", root.toString());
    assertThat(table.out()).contains(HumanBytes.format(listed))
        .doesNotContain(HumanBytes.format(virtual));
  }

  @Test
  void pullVm_extractKernel_writesBootFilesFromTheDisk() throws Exception {
    CliHarness.Result r =
        cli().run("pull", "vm", "debian:bookworm", "--arch", "amd64", "--registry", registry(), "--dir", root.toString(), "--extract-kernel");
    assertThat(r.code()).as(r.err()).isZero();
    Path dir = root.resolve("127.0.0.1:" + server.port()).resolve("debian/12/amd64");
    assertThat(dir.resolve("vmlinuz")).hasBinaryContent(fixture.kernelBytes);
    assertThat(dir.resolve("initrd")).hasContent("initrd for " + E2eFixture.KERNEL_VERSION);
    assertThat(dir.resolve("cmdline")).exists();
    CliHarness.Result info =
        cli().run("info", "vm", "debian:12", "--arch", "amd64", "--registry", registry(), "--dir", root.toString(), "--json");
    assertThat(info.out()).contains("\"kernelVersion\": \"" + E2eFixture.KERNEL_VERSION + "\"");

    // without --registry: not pulled from the default mirror, and says where it was pulled from
    CliHarness.Result elsewhere =
        cli().run("info", "vm", "debian:12", "--arch", "amd64", "--dir", root.toString());
    assertThat(elsewhere.code()).isEqualTo(9);
    assertThat(elsewhere.out())
        .contains("not pulled")
        .contains("pulled from 127.0.0.1:" + server.port() + "; give the same --registry");
  }

  @Test
  void convert_toVhd_acceptedByQemuImgAndEqualToRaw() throws Exception {
    Path vhd = root.resolve("disk.vhd");
    CliHarness.Result r =
        cli().run("convert", fixture.qcow2.get(Compression.ZSTD).toString(), vhd.toString(), "--format", "vhd");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(QemuImg.info(vhd, "vpc")).contains("vpc");
    assertThat(QemuImg.compare(vhd, "vpc", fixture.expectedRaw.get(Compression.ZSTD), "raw")).isTrue();
    Path raw = root.resolve("out.img");
    assertThat(cli().run("convert", fixture.qcow2.get(Compression.ZLIB).toString(), raw.toString()).code()).isZero();
    assertThat(Files.mismatch(raw, fixture.expectedRaw.get(Compression.ZLIB))).isEqualTo(-1L);
  }

  @Test
  void pullVm_diskFullDuringTheConversion_exit10WithoutJavaClassNames() throws Exception {
    // room for the download (a compressed qcow2), not for the disk it converts to
    Path qcow2 = fixture.qcow2.get(Compression.ZLIB);
    long room = (Files.size(qcow2) + (256 << 10) + 4095) / 4096 * 4096;
    assertThat(E2eFixture.allocatedBytes(fixture.expectedRaw.get(Compression.ZLIB)))
        .isGreaterThan(room - Files.size(qcow2) + (1 << 20));
    Path small = Files.createDirectories(root.resolve("small"));
    run("mount", "-t", "tmpfs", "-o", "size=" + room, "tmpfs", small.toString()); // the tests run as root
    try {
      CliHarness.Result r = cli().run(
          "pull", "vm", "ubuntu:noble", "--arch", "amd64", "--registry", registry(), "--dir", small.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(10);
      assertThat(r.err().lines().filter(l -> l.startsWith("image-cli:")).toList())
          .singleElement().asString()
          .contains("to " + small.resolve("127.0.0.1:" + server.port()))
          .endsWith("failed: no space left on device")
          .doesNotContain("java.", "Exception");
    } finally {
      run("umount", small.toString());
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  @Test
  void pullVm_unknownDistroVersionArch_exit3ListingValidOnes() {
    CliHarness.Result d = cli().run("pull", "vm", "gentoo:2024", "--arch", "amd64", "--registry", registry(), "--dir", root.toString());
    assertThat(d.code()).isEqualTo(3);
    assertThat(d.err()).contains("gentoo").contains("ubuntu").contains("debian").contains("alpine");
    CliHarness.Result v = cli().run("pull", "vm", "debian:11", "--arch", "amd64", "--registry", registry(), "--dir", root.toString());
    assertThat(v.code()).isEqualTo(3);
    assertThat(v.err()).contains("11").contains("12").contains("13");
    CliHarness.Result a = cli().run("pull", "vm", "arch:latest", "--arch", "arm64", "--registry", registry(), "--dir", root.toString());
    assertThat(a.code()).isEqualTo(3);
    assertThat(a.err()).contains("arm64").contains("amd64");
    assertThat(d.err().lines()).hasSize(1);
  }

  @Test
  void pullVm_checksumMismatch_exit5NoReadyImage() throws Exception {
    Path other = Files.createTempDirectory("app-e2e-bad-mirror-");
    try (TestHttpServer bad = TestHttpServer.serving(other)) {
      MirroredImage img =
          new MirrorTreeWriter(other, bad.baseUri())
              .write(catalogs.require("rocky"), "9", Arch.AMD64, fixture.qcow2.get(Compression.NONE));
      Files.write(img.diskFile(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
      CliHarness.Result r =
          cli().run("pull", "vm", "rocky:9", "--arch", "amd64", "--registry", bad.origin(), "--dir", root.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(5);
      assertThat(r.err()).contains(img.diskUri().toString()).contains(img.digest().toString());
      assertThat(cli().run("info", "vm", "rocky:9", "--arch", "amd64", "--registry", bad.origin(), "--dir", root.toString()).code())
          .isEqualTo(9);
      assertNoImageEntry(bad);
    } finally {
      E2eFixture.deleteTree(other);
    }
  }

  @Test
  void pullVm_diskNotFound_exit3NoImageEntry() throws Exception {
    Path other = Files.createTempDirectory("app-e2e-404-mirror-");
    try (TestHttpServer gone = TestHttpServer.serving(other)) {
      MirroredImage img =
          new MirrorTreeWriter(other, gone.baseUri())
              .write(catalogs.require("debian"), "12", Arch.AMD64, fixture.qcow2.get(Compression.NONE));
      gone.fault(img.diskUri().getPath(), Fault.status(404), TestHttpServer.ALWAYS);
      CliHarness.Result r =
          cli().run("pull", "vm", "debian:12", "--arch", "amd64", "--registry", gone.origin(), "--dir", root.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(3);
      assertThat(r.err()).contains(img.diskUri().toString());
      assertNoImageEntry(gone);
    } finally {
      E2eFixture.deleteTree(other);
    }
  }

  /** A failed first pull leaves nothing that {@code ls} lists, not even empty directories. */
  private void assertNoImageEntry(TestHttpServer mirror) {
    assertThat(root.resolve("127.0.0.1:" + mirror.port())).doesNotExist();
    CliHarness.Result ls = cli().run("ls", "--dir", root.toString());
    assertThat(ls.code()).isZero();
    assertThat(ls.out()).isEmpty();
    assertThat(ls.err()).contains("no images under");
    assertThat(cli().run("ls", "--dir", root.toString(), "--json").out().trim()).isEqualTo("[]");
  }
}
