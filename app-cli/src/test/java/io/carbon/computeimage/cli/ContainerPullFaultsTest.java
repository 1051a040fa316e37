package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.ErrorKind;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.RecordedRequest;
import io.carbon.computeimage.testkit.http.StubResponse;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import io.carbon.computeimage.testkit.registry.Exec;
import io.carbon.computeimage.testkit.registry.OciLayout;
import io.carbon.computeimage.testkit.registry.OciLayout.Compression;
import io.carbon.computeimage.testkit.registry.TarBuilder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container pulls under network faults, with the real transfer engine, registry client and
 * overlay layer store. A {@link TestHttpServer} plays the registry (the real one cannot inject
 * faults): it serves the {@code /v2/...} tree of an image written by hand.
 */
final class ContainerPullFaultsTest {
  private static final HostInfo HOST = new HostInfo(OsFamily.LINUX, Arch.AMD64, true);
  private static Path tree;
  private static OciLayout.Layer big;
  private static OciLayout.Layer small;
  private static OciLayout.Layer third;
  private static byte[] manifest;
  private static String configDigest;
  private static String manifestDigest;

  @TempDir Path root;
  private TestHttpServer registry;
  private TestHttpServer cdn;

  @BeforeAll
  static void writeImage() throws Exception {
    tree = Files.createTempDirectory("oci-faults-");
    OciLayout layout = OciLayout.create(tree.resolve("layout"));
    byte[] noise = new byte[3_000_000];
    new Random(42).nextBytes(noise);
    big = layout.layer(new TarBuilder().dir("data", 0755).file("data/noise.bin", noise, 0644).build(), Compression.GZIP);
    small = layout.layer(new TarBuilder().file("etc-release", "faults\n").build(), Compression.NONE);
    third = layout.layer(new TarBuilder().file("top", "top\n").build(), Compression.ZSTD);
    OciLayout.Blob m = layout.image("app", "linux", "amd64", List.of(big, small, third), "\"Cmd\":[\"sh\"]");
    manifest = Files.readAllBytes(layout.dir().resolve("blobs/sha256/" + m.digest().substring(7)));
    String cfgJson = new String(manifest, StandardCharsets.UTF_8);
    int i = cfgJson.indexOf("\"config\":");
    configDigest = cfgJson.substring(cfgJson.indexOf("sha256:", i), cfgJson.indexOf("sha256:", i) + 71);
    OciLayout.Blob wrongDiff =
        layout.image(
            "baddiff", "linux", "amd64", List.of(big, small, third),
            List.of(big.diffId(), third.diffId(), third.diffId()), "");
    byte[] wrongDiffManifest = Files.readAllBytes(layout.dir().resolve("blobs/sha256/" + wrongDiff.digest().substring(7)));
    String wd = new String(wrongDiffManifest, StandardCharsets.UTF_8);
    int wi = wd.indexOf("\"config\":");
    String wrongConfig = wd.substring(wd.indexOf("sha256:", wi), wd.indexOf("sha256:", wi) + 71);
    for (String repo : List.of("f/app", "f/corrupt", "f/baddiff")) {
      Path blobs = Files.createDirectories(tree.resolve("www/v2/" + repo + "/blobs"));
      Path manifests = Files.createDirectories(tree.resolve("www/v2/" + repo + "/manifests"));
      boolean bad = repo.equals("f/baddiff");
      Files.write(manifests.resolve("1"), bad ? wrongDiffManifest : manifest);
      Files.write(manifests.resolve(bad ? wrongDiff.digest() : m.digest()), bad ? wrongDiffManifest : manifest);
      for (String d : List.of(bad ? wrongConfig : configDigest, big.blob().digest(), small.blob().digest(), third.blob().digest())) {
        Files.copy(layout.dir().resolve("blobs/sha256/" + d.substring(7)), blobs.resolve(d));
      }
    }
    manifestDigest = m.digest();
    byte[] bad = Files.readAllBytes(tree.resolve("www/v2/f/corrupt/blobs/" + small.blob().digest()));
    bad[bad.length / 2] ^= 0x5a;
    Files.write(tree.resolve("www/v2/f/corrupt/blobs/" + small.blob().digest()), bad);
  }

  @AfterAll
  static void deleteImage() {
    Exec.deleteTree(tree);
  }

  @BeforeEach
  void start() {
    registry = TestHttpServer.serving(tree.resolve("www"));
    cdn = TestHttpServer.serving(tree.resolve("www"));
  }

  @AfterEach
  void stop() {
    registry.close();
    cdn.close();
  }

  private String ref(String repo) {
    return "127.0.0.1:" + registry.port() + "/" + repo + ":1";
  }

  private static String blobPath(String repo, OciLayout.Layer l) {
    return "/v2/" + repo + "/blobs/" + l.blob().digest();
  }

  private ComputeImage images() throws Exception {
    List<ComputeImagePlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ComputeImagePlugin.class).forEach(plugins::add);
    return ComputeImage.builder()
        .rootDir(root)
        .environment(Map.of())
        .transferSettings(
            new TransferSettings(
                Duration.ofSeconds(5), Duration.ofSeconds(1), 5, Duration.ofMillis(50),
                Duration.ofMillis(500), "compute-image-test"))
        .pluginRegistry(PluginRegistry.of(plugins, HOST))
        .build();
  }

  private void assertComplete(PulledImage img) throws Exception {
    assertThat(ComputeImage.containerPathsFromImage(img).layers()).hasSize(3);
    assertThat(img.dir().resolve("layers/00/data/noise.bin")).hasSize(3_000_000);
    assertThat(img.dir().resolve("layers/02/top")).hasContent("top");
  }

  @Test
  void pull_resetMidBlob_resumedWithRange() throws Exception {
    registry.fault(blobPath("f/app", big), Fault.resetAfter(700_000));
    assertComplete(images().pull(ContainerRef.of(ref("f/app"))));
    assertThat(registry.requests(blobPath("f/app", big))).anyMatch(RecordedRequest::isRangeGet);
  }

  @Test
  void pull_serverErrorsAnd429_retried() throws Exception {
    registry.fault(blobPath("f/app", small), Fault.status(503), 2);
    registry.fault(blobPath("f/app", third), Fault.tooManyRequests(0), 1);
    registry.fault("/v2/f/app/manifests/1", Fault.status(500), 1);
    assertComplete(images().pull(ContainerRef.of(ref("f/app"))));
    assertThat(registry.requests(blobPath("f/app", small))).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void pull_truncatedAndStalledBodies_retried() throws Exception {
    registry.fault(blobPath("f/app", big), Fault.truncateAfter(500_000), 1);
    registry.fault(blobPath("f/app", small), Fault.stallAfter(10, Duration.ofSeconds(20)), 1);
    assertComplete(images().pull(ContainerRef.of(ref("f/app"))));
  }

  @Test
  void pull_corruptedBlob_integrityErrorNothingReadyThenCleanPullWorks() throws Exception {
    ComputeImage images = images();
    assertThatThrownBy(() -> images.pull(ContainerRef.of(ref("f/corrupt"))))
        .isInstanceOfSatisfying(ComputeImageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY))
        .hasMessageContaining(small.blob().digest());
    assertThat(images.findContainer(ContainerRef.of(ref("f/corrupt")))).isEmpty();
    Path dir = images.resolveContainerPaths(ContainerRef.of(ref("f/corrupt"))).dir();
    assertThat(dir.resolve(ImageRecordStore.FILE_NAME)).doesNotExist();
    assertThat(dir.resolve("layers/01")).doesNotExist();
    assertThat(root.resolve("cache/sha256-" + small.blob().digest().substring(7) + ".tar")).doesNotExist();

    assertComplete(images.pull(ContainerRef.of(ref("f/app"))));
  }

  @Test
  void cliFirstPullFails_noImageEntryListed() throws Exception {
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());
    CliHarness.Result missing = cli.run("pull", "container", ref("f/missing"), "--dir", root.toString());
    assertThat(missing.code()).as(missing.err()).isEqualTo(3);

    byte[] wrong = Files.readAllBytes(tree.resolve("www" + blobPath("f/app", big)));
    wrong[wrong.length / 3] ^= 0x5a;
    registry.stub(blobPath("f/app", big), StubResponse.of(200, wrong));
    CliHarness.Result corrupt = cli.run("pull", "container", ref("f/app"), "--dir", root.toString());
    assertThat(corrupt.code()).as(corrupt.err()).isEqualTo(5);
    assertThat(corrupt.err()).contains(big.blob().digest());

    assertThat(root.resolve("127.0.0.1_" + registry.port())).doesNotExist();
    assertThat(root.resolve("127.0.0.1:" + registry.port())).doesNotExist();
    CliHarness.Result ls = cli.run("ls", "--dir", root.toString(), "--json");
    assertThat(ls.out().trim()).isEqualTo("[]");
  }

  @Test
  void pull_diffIdMismatch_refusedLayerNotRenamedNothingReady() throws Exception {
    ComputeImage images = images();
    assertThatThrownBy(() -> images.pull(ContainerRef.of(ref("f/baddiff"))))
        .isInstanceOfSatisfying(ComputeImageException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INTEGRITY))
        .hasMessageContaining("diffID")
        .hasMessageContaining("layer 1");
    Path dir = images.resolveContainerPaths(ContainerRef.of(ref("f/baddiff"))).dir();
    assertThat(dir.resolve("layers/00")).isDirectory();
    assertThat(dir.resolve("layers/01")).doesNotExist();
    assertThat(dir.resolve(ImageRecordStore.FILE_NAME)).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
  }

  @Test
  void pull_redirectToBlobStorage_authorizationNotForwarded() throws Exception {
    registry.stub("/token", r -> StubResponse.text(200, "application/json", "{\"token\":\"SECRET\",\"expires_in\":300}"));
    String realm = "http://127.0.0.1:" + registry.port() + "/token";
    registry.stub(
        "/v2/f/app/manifests/1",
        r ->
            r.header("Authorization").orElse("").equals("Bearer SECRET")
                ? new StubResponse(200, Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"), manifest)
                : new StubResponse(401, Map.of("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"t\""), new byte[0]));
    for (OciLayout.Layer l : List.of(big, small, third)) {
      registry.fault(blobPath("f/app", l), Fault.redirect(cdn.uri(blobPath("f/app", l))), TestHttpServer.ALWAYS);
    }

    assertComplete(images().pull(ContainerRef.of(ref("f/app"))));

    assertThat(registry.requests(blobPath("f/app", big)))
        .allMatch(r -> r.header("Authorization").orElse("").equals("Bearer SECRET"));
    assertThat(cdn.requests()).isNotEmpty().allMatch(r -> r.header("Authorization").isEmpty());
  }

  @Test
  void cliKilledMidPull_notReadyThenRepullResumes() throws Exception {
    registry.fault(blobPath("f/app", big), Fault.throttle(250_000), 1);
    Path data = root.resolve("data");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.carbon.computeimage.cli.Main",
                "pull", "container", ref("f/app"), "--dir", data.toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("cli.log").toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && transferredOfBig() < 400_000) {
        assertThat(p.isAlive()).as("CLI still pulling: %s", Files.exists(root.resolve("cli.log")) ? Files.readString(root.resolve("cli.log")) : "").isTrue();
        Thread.sleep(50);
      }
    } finally {
      p.destroyForcibly(); // SIGKILL
      p.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(p.exitValue()).isEqualTo(137);
    ComputeImage images = images();
    assertThat(images.findContainer(ContainerRef.of(ref("f/app")).withDir(data))).isEmpty();
    List<StoredImage> listed = images.list(data);
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).status().name()).isEqualTo("INCOMPLETE");
    assertThat(listed.get(0).kind()).isEqualTo("container");
    assertThat(listed.get(0).reference()).isEqualTo(ref("f/app"));
    assertThat(listed.get(0).platform()).isEqualTo("linux/amd64");
    CliHarness cli = CliHarness.withRegistry(data, images.plugins());
    assertThat(cli.run("info", "container", ref("f/app"), "--dir", data.toString()).code()).isEqualTo(9);
    registry.clearRequests();

    PulledImage img = images.pull(ContainerRef.of(ref("f/app")).withDir(data));

    assertComplete(img);
    assertThat(registry.requests(blobPath("f/app", big))).anyMatch(RecordedRequest::isRangeGet).noneMatch(RecordedRequest::isFullGet);
  }

  @Test
  void cliIncompleteImage_listedAndRemovedByItsReference() throws Exception {
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());
    CliHarness.Result failed = cli.run("pull", "container", ref("f/baddiff"), "--dir", root.toString());
    assertThat(failed.code()).as(failed.err()).isEqualTo(5);
    Path dir = root.resolve("127.0.0.1_" + registry.port() + "/f/baddiff/1");
    assertThat(dir.resolve("layers/00")).isDirectory();

    CliHarness.Result ls = cli.run("ls", "--dir", root.toString());
    assertThat(ls.out()).contains(ref("f/baddiff")).contains("incomplete").doesNotContain("127.0.0.1_");

    CliHarness.Result rm = cli.run("rm", ref("f/baddiff"), "--dir", root.toString());
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(dir).doesNotExist();
    assertThat(cli.run("ls", "--dir", root.toString(), "--json").out().trim()).isEqualTo("[]");
  }

  @Test
  void cliRmByDigest_removesWhatNameTagAtDigestPulled() throws Exception {
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());
    String host = "127.0.0.1:" + registry.port();
    CliHarness.Result pulled =
        cli.run("pull", "container", host + "/f/app:anytag@" + manifestDigest, "--dir", root.toString());
    assertThat(pulled.code()).as(pulled.err()).isZero();
    assertThat(cli.run("info", "container", host + "/f/app@" + manifestDigest, "--dir", root.toString()).code())
        .isZero();

    CliHarness.Result rm = cli.run("rm", host + "/f/app@" + manifestDigest, "--dir", root.toString());

    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(root.resolve("127.0.0.1_" + registry.port() + "/f/app/sha256-" + manifestDigest.substring(7)))
        .doesNotExist();
    assertThat(cli.run("info", "container", host + "/f/app:anytag@" + manifestDigest, "--dir", root.toString()).code())
        .isEqualTo(9);
  }

  @Test
  void cliBlobSizeDiffersFromDescriptor_integrityExit5WithoutRetries() throws Exception {
    byte[] other = new byte[(int) Files.size(tree.resolve("www" + blobPath("f/app", small))) - 16];
    registry.stub(blobPath("f/app", small), StubResponse.of(200, other));
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());

    CliHarness.Result r = cli.run("pull", "container", ref("f/app"), "--dir", root.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(5);
    assertThat(r.err()).contains("size mismatch").contains(small.blob().digest());
    assertThat(registry.requests(blobPath("f/app", small))).hasSize(1);
  }

  @Test
  void cliConfigSizeDiffersFromDescriptor_integrityExit5() throws Exception {
    String json = new String(manifest, StandardCharsets.UTF_8);
    int at = json.indexOf("\"size\":", json.indexOf("\"config\":")) + 7;
    int end = at;
    while (Character.isDigit(json.charAt(end))) {
      end++;
    }
    long size = Long.parseLong(json.substring(at, end));
    String wrong = json.substring(0, at) + (size + 1) + json.substring(end);
    registry.stub("/v2/f/app/manifests/1", StubResponse.of(200, wrong.getBytes(StandardCharsets.UTF_8)));
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());

    CliHarness.Result r = cli.run("pull", "container", ref("f/app"), "--dir", root.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(5);
    assertThat(r.err()).contains("size mismatch").contains(configDigest);
  }

  @Test
  void cliOversizedManifest_malformedExit6WithoutRetries() throws Exception {
    registry.stub("/v2/f/app/manifests/1", StubResponse.of(200, new byte[4 * 1024 * 1024 + 1]));
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());

    CliHarness.Result r = cli.run("pull", "container", ref("f/app"), "--dir", root.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(6);
    assertThat(r.err()).contains("exceeds the limit of 4194304 bytes");
    assertThat(registry.requests("/v2/f/app/manifests/1")).hasSize(1);
  }

  @Test
  void cliInvalidPlatformOrUppercaseDigest_invalidInputExit2() throws Exception {
    CliHarness cli = CliHarness.withRegistry(root, images().plugins());
    CliHarness.Result platform =
        cli.run("pull", "container", ref("f/app"), "--platform", "linux/../..", "--dir", root.toString());
    assertThat(platform.code()).as(platform.err()).isEqualTo(2);
    assertThat(platform.err()).contains("linux/../..");

    String upper = "127.0.0.1:" + registry.port() + "/f/app@SHA256:" + manifestDigest.substring(7);
    CliHarness.Result digest = cli.run("pull", "container", upper, "--dir", root.toString());
    assertThat(digest.code()).as(digest.err()).isEqualTo(2);
    assertThat(registry.requests()).isEmpty();
  }

  private long transferredOfBig() throws Exception {
    Path cache = root.resolve("data/cache");
    if (!Files.isDirectory(cache)) {
      return 0;
    }
    String hex = big.blob().digest().substring(7);
    try (Stream<Path> s = Files.walk(cache)) {
      return s.filter(f -> f.getFileName().toString().contains(hex) && Files.isRegularFile(f))
          .mapToLong(f -> f.toFile().length())
          .max()
          .orElse(0);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return 0; // the CLI renamed or removed a file while it was listed: look again next time
      }
      throw e;
    }
  }
}
