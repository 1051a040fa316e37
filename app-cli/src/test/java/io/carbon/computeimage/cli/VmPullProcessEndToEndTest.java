package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.application.HostDetector;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.RecordedRequest;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI in separate JVMs against a slow local mirror: {@code kill -9} mid-download and a
 * re-run that resumes, and two concurrent pulls of one image that download it once.
 */
final class VmPullProcessEndToEndTest {
  @TempDir Path root;
  @TempDir Path logs;
  private Path mirror;
  private TestHttpServer server;
  private MirroredImage img;
  private E2eFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = E2eFixture.get();
    mirror = Files.createTempDirectory("app-e2e-slow-mirror-");
    server = TestHttpServer.serving(mirror);
    var debian =
        PluginRegistry.load(getClass().getClassLoader(), List.of(), HostDetector.detect()).catalogs().require("debian");
    img = new MirrorTreeWriter(mirror, server.baseUri()).write(debian, "12", Arch.AMD64, fixture.bigQcow2);
  }

  @AfterEach
  void tearDown() {
    server.close();
    E2eFixture.deleteTree(mirror);
  }

  private String[] pullArgs() {
    return new String[] {
      "pull", "vm", "debian:12", "--arch", "amd64", "--registry", server.origin(), "--dir", root.toString()
    };
  }

  private Path disk() {
    return root.resolve("127.0.0.1:" + server.port()).resolve("debian/12/amd64/disk.img");
  }

  private long cacheBytes() throws IOException {
    Path cache = root.resolve("cache");
    if (!Files.isDirectory(cache)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(cache)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().startsWith("debian-12-amd64.qcow2"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  @Test
  void kill9MidDownload_rerunResumesAndCompletes() throws Exception {
    String path = img.diskUri().getPath();
    server.fault(path, Fault.throttle(1_000_000), TestHttpServer.ALWAYS);
    CliProcess first = CliProcess.start(logs, "first", pullArgs());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (cacheBytes() < 2_000_000 && System.nanoTime() < deadline && first.process.isAlive()) {
      Thread.sleep(50);
    }
    assertThat(first.process.isAlive()).as("still downloading; stderr: " + first.err()).isTrue();
    first.kill9();
    long partial = cacheBytes();
    assertThat(partial).isBetween(1L, Files.size(fixture.bigQcow2) - 1);
    assertThat(disk()).doesNotExist();
    CliHarness.Result ls = CliHarness.withClassPathPlugins(root).run("ls", "--dir", root.toString());
    assertThat(ls.out()).doesNotContain("ready");

    server.clearFaults();
    server.clearRequests();
    CliProcess second = CliProcess.start(logs, "second", pullArgs());
    assertThat(second.waitFor(120)).as(second.err()).isZero();
    assertThat(Files.mismatch(disk(), fixture.bigExpectedRaw)).isEqualTo(-1L);
    List<RecordedRequest> gets = server.requests(path).stream().filter(r -> r.method().equals("GET")).toList();
    assertThat(gets).as("the re-run resumes with a Range request").anyMatch(r -> r.range().isPresent());
    assertThat(gets).noneMatch(RecordedRequest::isFullGet);
  }

  @Test
  void ctrlCMidDownload_oneLineExit130PartKept_rerunResumesAndCompletes() throws Exception {
    String path = img.diskUri().getPath();
    server.fault(path, Fault.throttle(1_000_000), TestHttpServer.ALWAYS);
    CliProcess first = CliProcess.start(logs, "interrupted", pullArgs());
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (cacheBytes() < 2_000_000 && System.nanoTime() < deadline && first.process.isAlive()) {
      Thread.sleep(50);
    }
    assertThat(first.process.isAlive()).as("still downloading; stderr: " + first.err()).isTrue();
    first.interrupt();
    assertThat(first.waitFor(30)).as(first.err()).isEqualTo(130);
    List<String> errLines = first.err().lines().toList();
    assertThat(errLines).last().isEqualTo("image-cli: interrupted; run the same command again to resume");
    assertThat(errLines).filteredOn(l -> l.startsWith("image-cli:")).hasSize(1);
    assertThat(first.out()).isEmpty();
    long partial = cacheBytes();
    assertThat(partial).as("the .part stays for resume").isBetween(1L, Files.size(fixture.bigQcow2) - 1);
    assertThat(disk()).doesNotExist();
    CliHarness.Result ls = CliHarness.withClassPathPlugins(root).run("ls", "--dir", root.toString(), "--json");
    assertThat(ls.out().trim()).as("a cancelled first pull leaves no image entry").isEqualTo("[]");

    server.clearFaults();
    server.clearRequests();
    CliProcess second = CliProcess.start(logs, "resumed", pullArgs());
    assertThat(second.waitFor(120)).as(second.err()).isZero();
    assertThat(Files.mismatch(disk(), fixture.bigExpectedRaw)).isEqualTo(-1L);
    List<RecordedRequest> gets = server.requests(path).stream().filter(r -> r.method().equals("GET")).toList();
    assertThat(gets).as("the re-run resumes with a Range request").anyMatch(r -> r.range().isPresent());
    assertThat(gets).noneMatch(RecordedRequest::isFullGet);
  }

  @Test
  void twoConcurrentPulls_oneDownloadBothSucceed() throws Exception {
    String path = img.diskUri().getPath();
    server.fault(path, Fault.throttle(8_000_000), TestHttpServer.ALWAYS);
    CliProcess a = CliProcess.start(logs, "a", pullArgs());
    CliProcess b = CliProcess.start(logs, "b", pullArgs());
    assertThat(a.waitFor(120)).as(a.err()).isZero();
    assertThat(b.waitFor(120)).as(b.err()).isZero();
    assertThat(a.out()).contains(disk().toString());
    assertThat(b.out()).contains(disk().toString());
    assertThat(Files.mismatch(disk(), fixture.bigExpectedRaw)).isEqualTo(-1L);
    long downloads = server.requests(path).stream().filter(r -> r.method().equals("GET")).count();
    assertThat(downloads).isEqualTo(1);
  }
}
