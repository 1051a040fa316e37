package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.RecordedRequest;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import io.carbon.computeimage.testkit.transfer.TransferFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads in separate JVM processes: the cross-process lock, and resume after kill -9. */
final class FileDownloaderProcessTest {
  private static final String PATH = "/images/disk.qcow2";

  @TempDir Path mirror;
  @TempDir Path cache;
  private TestHttpServer server;
  private byte[] content;
  private final List<Process> children = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    content = TransferFixtures.content(3_000_000, 5);
    Files.createDirectories(mirror.resolve("images"));
    Files.write(mirror.resolve("images/disk.qcow2"), content);
    server = TestHttpServer.serving(mirror);
  }

  @AfterEach
  void tearDown() {
    children.forEach(Process::destroyForcibly);
    server.close();
  }

  private Process child(Path out) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                DownloadMain.class.getName(),
                server.uri(PATH).toString(),
                cache.resolve("disk.qcow2").toString(),
                TransferFixtures.sha256(content).toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    Process p = pb.start();
    children.add(p);
    return p;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private List<RecordedRequest> gets() {
    return server.requests(PATH).stream().filter(r -> r.method().equals("GET")).collect(Collectors.toList());
  }

  @Test
  void download_twoProcessesSameFile_oneDownloadBothSucceed() throws Exception {
    // the first GET goes silent for a while, so the second process finds the lock held
    server.fault(PATH, Fault.stallAfter(1_000_000, Duration.ofSeconds(4)));
    Path outA = Files.createTempFile(cache.getParent(), "a", ".out");
    Path outB = Files.createTempFile(cache.getParent(), "b", ".out");
    try {
      Process a = child(outA);
      await("the first process's GET", () -> !gets().isEmpty());
      Process b = child(outB);

      assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String logA = Files.readString(outA, StandardCharsets.UTF_8);
      String logB = Files.readString(outB, StandardCharsets.UTF_8);
      assertThat(a.exitValue()).as(logA).isZero();
      assertThat(b.exitValue()).as(logB).isZero();
      assertThat(logA).contains("RESULT reused=false");
      assertThat(logB).contains("waiting for another process", "RESULT reused=true");
      assertThat(gets()).singleElement().matches(RecordedRequest::isFullGet);
      assertThat(Files.readAllBytes(cache.resolve("disk.qcow2"))).isEqualTo(content);
    } finally {
      Files.deleteIfExists(outA);
      Files.deleteIfExists(outB);
    }
  }

  @Test
  void download_processKilledMidDownload_rerunResumesFromPartialFile() throws Exception {
    server.fault(PATH, Fault.stallAfter(1_000_000, Duration.ofSeconds(60)));
    Path out = Files.createTempFile(cache.getParent(), "k", ".out");
    Path part = cache.resolve("disk.qcow2.part");
    try {
      Process p = child(out);
      await("1000000 bytes in " + part, () -> sizeOf(part) >= 1_000_000);
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(cache.resolve("disk.qcow2")).doesNotExist();
      long partSize = sizeOf(part);
      server.clearRequests();

      DownloadResult r =
          new FileDownloader(TransferFixtures.fastSettings())
              .download(
                  DownloadRequest.of(server.uri(PATH), TransferFixtures.sha256(content)),
                  cache.resolve("disk.qcow2"),
                  ProgressListener.NONE,
                  Cancellation.NONE);

      assertThat(r.resumedFrom()).isEqualTo(partSize).isEqualTo(1_000_000);
      assertThat(gets()).singleElement().satisfies(g -> assertThat(g.range()).hasValue("bytes=1000000-"));
      assertThat(Files.readAllBytes(cache.resolve("disk.qcow2"))).isEqualTo(content);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : -1;
    } catch (IOException e) {
      return -1;
    }
  }
}
