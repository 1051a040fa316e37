package io.carbon.computeimage.testkit.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.RecordedRequest;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link Downloader} must have, checked against a real loopback server with
 * injected faults: verification while streaming, resume with {@code Range} after resets,
 * truncation and stalls, retries on 5xx and 429, 200-instead-of-206, redirects that drop {@code
 * Authorization} across origins, reuse of a verified file, re-download when the expected digest
 * changed, one download for concurrent callers, cancellation and progress.
 */
public abstract class DownloaderContractTest {
  /** The served file's path on the server. */
  protected static final String PATH = "/images/disk.qcow2";

  /** The served tree. */
  @TempDir protected Path mirror;

  /** Where downloads go. */
  @TempDir protected Path cache;

  /** The server under {@link #mirror}. */
  protected TestHttpServer server;

  /** The served file's content (2.5 MiB, so it spans several 1 MiB buffers). */
  protected byte[] content;

  /**
   * Creates the downloader under test.
   *
   * @param settings the settings to use
   * @return a new downloader
   */
  protected abstract Downloader newDownloader(TransferSettings settings);

  /** Starts the server. @throws IOException when the fixture cannot be written */
  @BeforeEach
  protected void startServer() throws IOException {
    content = TransferFixtures.content(2_621_440 + 123, 7);
    Files.createDirectories(mirror.resolve("images"));
    Files.write(mirror.resolve("images/disk.qcow2"), content);
    server = TestHttpServer.serving(mirror);
  }

  /** Stops the server. */
  @AfterEach
  protected void stopServer() {
    server.close();
  }

  /** @return the destination used by the tests */
  protected Path destination() {
    return cache.resolve("disk.qcow2");
  }

  /** @return a request for the served file with its right digest */
  protected DownloadRequest request() {
    return DownloadRequest.of(server.uri(PATH), TransferFixtures.sha256(content));
  }

  /**
   * Downloads with fast settings.
   *
   * @param request the request
   * @return the result
   * @throws Exception on failure
   */
  protected DownloadResult download(DownloadRequest request) throws Exception {
    return newDownloader(TransferFixtures.fastSettings())
        .download(request, destination(), ProgressListener.NONE, Cancellation.NONE);
  }

  /** @return names of the files left in the cache directory, lock files excepted */
  protected List<String> cacheFilesExceptLocks() throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".lock"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private List<RecordedRequest> gets() {
    return server.requests(PATH).stream()
        .filter(r -> r.method().equals("GET"))
        .collect(Collectors.toList());
  }

  @Test
  void download_fresh_writesVerifiedFile() throws Exception {
    DownloadResult r = download(request());
    assertThat(r.file()).isEqualTo(destination());
    assertThat(r.size()).isEqualTo(content.length);
    assertThat(r.reused()).isFalse();
    assertThat(r.resumedFrom()).isZero();
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).singleElement().matches(RecordedRequest::isFullGet);
  }

  @Test
  void download_sha512_verifies() throws Exception {
    DownloadResult r =
        download(
            DownloadRequest.of(
                server.uri(PATH), TransferFixtures.digest(DigestAlgorithm.SHA512, content)));
    assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
  }

  @Test
  void download_checksumMismatch_removesPartialAndNamesUrlAndDigests() throws Exception {
    Digest wrong = TransferFixtures.sha256(new byte[] {1, 2, 3});
    Digest actual = TransferFixtures.sha256(content);
    assertThatThrownBy(() -> download(DownloadRequest.of(server.uri(PATH), wrong)))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(server.uri(PATH).toString())
        .hasMessageContaining(wrong.toString())
        .hasMessageContaining(actual.toString());
    assertThat(destination()).doesNotExist();
    assertThat(cacheFilesExceptLocks()).isEmpty();
  }

  @Test
  void download_resetMidBody_resumesWithRange() throws Exception {
    server.fault(PATH, Fault.resetAfter(1_500_000));
    DownloadResult r = download(request());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    List<RecordedRequest> gets = gets();
    assertThat(gets).hasSize(2);
    assertThat(gets.get(0).isFullGet()).isTrue();
    assertThat(gets.get(1).range()).hasValueSatisfying(v -> assertThat(v).startsWith("bytes="));
    long from = Long.parseLong(gets.get(1).range().get().replaceAll("bytes=(\\d+)-", "$1"));
    assertThat(from).isPositive().isLessThanOrEqualTo(1_500_000);
    assertThat(gets.get(1).header("If-Range")).isPresent();
    assertThat(r.resumedFrom()).isEqualTo(from);
  }

  @Test
  void download_serverErrorThenSuccess_retries() throws Exception {
    server.fault(PATH, Fault.status(500));
    download(request());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).hasSize(2);
  }

  @Test
  void download_serverErrorEveryTime_throwsNamingUrlAndStatus() {
    server.fault(PATH, Fault.status(503), TestHttpServer.ALWAYS);
    Downloader d = newDownloader(TransferFixtures.fastSettings(2));
    assertThatThrownBy(() -> d.download(request(), destination(), ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOf(io.carbon.computeimage.ports.error.TransferException.class)
        .hasMessageContaining(server.uri(PATH).toString())
        .hasMessageContaining("503");
    assertThat(gets()).hasSize(2);
    assertThat(destination()).doesNotExist();
  }

  @Test
  void download_tooManyRequests_honoursRetryAfter() throws Exception {
    server.fault(PATH, Fault.tooManyRequests(1));
    long t0 = System.nanoTime();
    download(request());
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).hasSize(2);
  }

  @Test
  void download_truncatedBody_resumes() throws Exception {
    server.fault(PATH, Fault.truncateAfter(700_000));
    DownloadResult r = download(request());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).hasSize(2);
    assertThat(gets().get(1).isRangeGet()).isTrue();
    assertThat(r.resumedFrom()).isPositive();
  }

  @Test
  void download_stalledBody_timesOutThenResumes() throws Exception {
    server.fault(PATH, Fault.stallAfter(800_000, Duration.ofSeconds(30)));
    long t0 = System.nanoTime();
    download(request());
    assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(20).toNanos());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).hasSize(2);
    assertThat(gets().get(1).isRangeGet()).isTrue();
  }

  @Test
  void download_rangeIgnored_restartsFromZero() throws Exception {
    server.fault(PATH, Fault.resetAfter(1_000_000)).fault(PATH, Fault.ignoreRange());
    DownloadResult r = download(request());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).hasSize(2);
    assertThat(gets().get(1).isRangeGet()).isTrue();
    assertThat(r.resumedFrom()).isZero();
  }

  @Test
  void download_rangeNotSatisfiableForPartialFile_restartsAndSucceeds() throws Exception {
    server
        .fault(PATH, Fault.resetAfter(1_000_000))
        .fault(PATH, Fault.status(416, Map.of("Content-Range", "bytes */" + content.length)));
    download(request());
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    List<RecordedRequest> gets = gets();
    assertThat(gets).hasSize(3);
    assertThat(gets.get(1).isRangeGet()).isTrue();
    assertThat(gets.get(2).isFullGet()).isTrue();
  }

  @Test
  void download_redirectToOtherOrigin_dropsAuthorization() throws Exception {
    try (TestHttpServer cdn = TestHttpServer.serving(mirror)) {
      server.fault(PATH, Fault.redirect(cdn.uri(PATH)));
      DownloadRequest req =
          new DownloadRequest(
              server.uri(PATH), Map.of("Authorization", "Bearer SECRET"), TransferFixtures.sha256(content), -1);
      download(req);
      assertThat(Files.readAllBytes(destination())).isEqualTo(content);
      assertThat(server.requests(PATH).get(0).header("Authorization")).hasValue("Bearer SECRET");
      assertThat(cdn.requests(PATH))
          .singleElement()
          .satisfies(q -> assertThat(q.header("Authorization")).isEmpty());
    }
  }

  @Test
  void download_redirectToSameOrigin_keepsAuthorization() throws Exception {
    server.fault("/latest.qcow2", Fault.redirect(URI.create(PATH)));
    DownloadRequest req =
        new DownloadRequest(
            server.uri("/latest.qcow2"),
            Map.of("Authorization", "Bearer SECRET"),
            TransferFixtures.sha256(content),
            -1);
    download(req);
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets())
        .singleElement()
        .satisfies(q -> assertThat(q.header("Authorization")).hasValue("Bearer SECRET"));
  }

  @Test
  void download_verifiedFileWithSameDigest_isReusedWithoutNetwork() throws Exception {
    download(request());
    server.clearRequests();
    DownloadResult again = download(request());
    assertThat(again.reused()).isTrue();
    assertThat(again.size()).isEqualTo(content.length);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void download_expectedDigestChanged_downloadsAgain() throws Exception {
    download(request());
    byte[] newer = TransferFixtures.content(300_000, 99);
    Files.write(mirror.resolve("images/disk.qcow2"), newer);
    server.clearRequests();
    DownloadResult r = download(DownloadRequest.of(server.uri(PATH), TransferFixtures.sha256(newer)));
    assertThat(r.reused()).isFalse();
    assertThat(Files.readAllBytes(destination())).isEqualTo(newer);
    assertThat(gets()).singleElement().matches(RecordedRequest::isFullGet);
    server.clearRequests();
    assertThat(download(DownloadRequest.of(server.uri(PATH), TransferFixtures.sha256(newer))).reused())
        .isTrue();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void download_sizeOtherThanExpected_failsNamingUrlAndSizes() throws Exception {
    DownloadRequest req =
        new DownloadRequest(server.uri(PATH), Map.of(), TransferFixtures.sha256(content), 1000);
    assertThatThrownBy(() -> download(req))
        .isInstanceOfSatisfying(
            io.carbon.computeimage.ports.error.ComputeImageException.class,
            // the content does not fit its descriptor: an integrity failure, not a network one
            e -> assertThat(e.kind()).isEqualTo(io.carbon.computeimage.ports.error.ErrorKind.INTEGRITY))
        .hasMessageContaining(server.uri(PATH).toString())
        .hasMessageContaining("1000");
    assertThat(server.requests()).as("not retried").hasSize(1);
    assertThat(destination()).doesNotExist();
    assertThat(cacheFilesExceptLocks()).isEmpty();
  }

  @Test
  void download_expectedSizeMatches_succeeds() throws Exception {
    DownloadResult r =
        download(
            new DownloadRequest(
                server.uri(PATH), Map.of(), TransferFixtures.sha256(content), content.length));
    assertThat(r.size()).isEqualTo(content.length);
  }

  @Test
  void download_notFound_throwsNotFoundNamingUrl() {
    URI missing = server.uri("/images/missing.qcow2");
    assertThatThrownBy(() -> download(DownloadRequest.of(missing, TransferFixtures.sha256(content))))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("404");
  }

  @Test
  void download_concurrentCallersInOneProcess_fetchOnceAndAllSucceed() throws Exception {
    server.fault(PATH, Fault.throttle(8_000_000));
    Downloader d = newDownloader(TransferFixtures.fastSettings());
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Callable<DownloadResult>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(() -> d.download(request(), destination(), ProgressListener.NONE, Cancellation.NONE));
      }
      List<Future<DownloadResult>> futures = pool.invokeAll(calls, 60, TimeUnit.SECONDS);
      int fetched = 0;
      for (Future<DownloadResult> f : futures) {
        DownloadResult r = f.get();
        assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
        fetched += r.reused() ? 0 : 1;
      }
      assertThat(fetched).isEqualTo(1);
      assertThat(gets()).singleElement().matches(RecordedRequest::isFullGet);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void download_cancelled_throwsAndLeavesNoDestination() throws Exception {
    server.fault(PATH, Fault.stallAfter(500_000, Duration.ofSeconds(30)));
    Downloader d = newDownloader(TransferFixtures.fastSettings());
    long t0 = System.nanoTime();
    Cancellation afterAMoment = () -> System.nanoTime() - t0 > Duration.ofMillis(200).toNanos();
    assertThatThrownBy(() -> d.download(request(), destination(), ProgressListener.NONE, afterAMoment))
        .isInstanceOf(CancelledException.class);
    assertThat(destination()).doesNotExist();
  }

  @Test
  void download_progress_reportsStartedProgressFinishedWithFileNameAsTaskId() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    List<Long> progress = Collections.synchronizedList(new ArrayList<>());
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void started(String taskId, String description, long totalBytes) {
            events.add("started " + taskId + " " + totalBytes);
          }

          @Override
          public void progressed(String taskId, long completedBytes) {
            progress.add(completedBytes);
          }

          @Override
          public void finished(String taskId) {
            events.add("finished " + taskId);
          }
        };
    newDownloader(TransferFixtures.fastSettings())
        .download(request(), destination(), listener, Cancellation.NONE);
    assertThat(events)
        .containsExactly("started disk.qcow2 " + content.length, "finished disk.qcow2");
    assertThat(progress).isNotEmpty().isSorted();
    assertThat(progress.get(progress.size() - 1)).isEqualTo(content.length);
  }
}
