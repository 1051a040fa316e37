package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.Fault;
import io.carbon.computeimage.testkit.http.RecordedRequest;
import io.carbon.computeimage.testkit.transfer.DownloaderContractTest;
import io.carbon.computeimage.testkit.transfer.TransferFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class FileDownloaderTest extends DownloaderContractTest {
  @Override
  protected Downloader newDownloader(TransferSettings settings) {
    return new FileDownloader(settings);
  }

  @Test
  void download_cancelledWhileTheServerDoesNotAnswer_stopsThenNotAtTheTimeout() throws Exception {
    try (io.carbon.computeimage.testkit.http.SilentServer silent =
        io.carbon.computeimage.testkit.http.SilentServer.start()) {
      TransferSettings patient = new TransferSettings(java.time.Duration.ofSeconds(60),
          java.time.Duration.ofSeconds(60), 4, java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(60), "t");
      long t0 = System.nanoTime();
      Cancellation soon = () -> System.nanoTime() - t0 > 300_000_000L;
      DownloadRequest r = DownloadRequest.of(silent.uri(PATH), TransferFixtures.sha256(content));
      assertThatThrownBy(() -> newDownloader(patient).download(r, destination(), ProgressListener.NONE, soon))
          .isInstanceOf(io.carbon.computeimage.ports.error.CancelledException.class);
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(20));
      assertThat(destination()).doesNotExist();
    }
  }

  @Test
  void download_threadInterruptedMidBody_cancelledInterruptKept_bytesKeptForResume() throws Exception {
    server.fault(PATH, Fault.throttle(400_000));
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        newDownloader(TransferFixtures.fastSettings()).download(request(), destination(), ProgressListener.NONE, Cancellation.NONE);
      } catch (Throwable e) {
        thrown.set(e);
      }
      interrupted.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    while (!Files.exists(part()) || Files.size(part()) == 0) {
      Thread.sleep(20);
    }
    Thread.sleep(300);
    caller.interrupt();
    caller.join(20_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(io.carbon.computeimage.ports.error.CancelledException.class);
    assertThat(interrupted.get()).isTrue();
    assertThat(destination()).doesNotExist();
    long kept = Files.size(part());
    assertThat(kept).isPositive().isLessThan(content.length);

    server.clearFaults();
    DownloadResult done = newDownloader(TransferFixtures.fastSettings())
        .download(request(), destination(), ProgressListener.NONE, Cancellation.NONE);
    assertThat(destination()).hasBinaryContent(content);
    assertThat(gets().get(gets().size() - 1).header("range")).contains("bytes=" + kept + "-");
    assertThat(done).isNotNull();
  }

  private Path part() {
    return cache.resolve("disk.qcow2.part");
  }

  private List<RecordedRequest> gets() {
    return server.requests(PATH).stream()
        .filter(r -> r.method().equals("GET"))
        .collect(Collectors.toList());
  }

  /** Fails a first download after some bytes with no retries, leaving the partial file. */
  private void leavePartialFile(DownloadRequest request, long bytes) {
    server.fault(PATH, Fault.resetAfter(bytes));
    assertThatThrownBy(
            () ->
                newDownloader(TransferFixtures.fastSettings(1))
                    .download(request, destination(), ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOf(TransferException.class)
        .hasMessageContaining(server.uri(PATH).toString());
    assertThat(part()).exists();
    assertThat(destination()).doesNotExist();
  }

  /** Records what a download tells its tap. */
  private static final class RecordingTap implements io.carbon.computeimage.ports.transfer.DownloadTap {
    final List<long[]> ranges = new java.util.concurrent.CopyOnWriteArrayList<>();
    final java.util.Set<Path> files = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void written(Path file, long offset, long length) {
      files.add(file);
      ranges.add(new long[] {offset, length});
    }
  }

  @Test
  void download_httpsToAPlainHttpServer_refusedAtOnceNamingTheHttpOrigin() throws Exception {
    java.net.URI https = java.net.URI.create(server.uri(PATH).toString().replaceFirst("^http:", "https:"));
    TransferSettings s = new TransferSettings(java.time.Duration.ofSeconds(1),
        java.time.Duration.ofSeconds(5), 5, java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2), "t");
    long start = System.nanoTime();
    assertThatThrownBy(
            () -> newDownloader(s).download(
                DownloadRequest.of(https, TransferFixtures.sha256(content)), destination(),
                ProgressListener.NONE, Cancellation.NONE))
        .isInstanceOf(io.carbon.computeimage.ports.error.InvalidReferenceException.class)
        .hasMessageContaining(https.toString())
        .hasMessageContaining("answers plain HTTP")
        .hasMessageContaining("--registry http://127.0.0.1:" + server.port());
    // one handshake attempt and one probe, no retries
    assertThat(server.requests("/")).hasSize(1);
    assertThat(server.requests("/").get(0).method()).isEqualTo("HEAD");
    assertThat(System.nanoTime() - start).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(4));
    assertThat(destination()).doesNotExist();
  }

  @Test
  void downloadWithTap_resetMidBody_rangesContinueAcrossTheResumeUpToTheWholeBody()
      throws Exception {
    server.fault(PATH, Fault.resetAfter(1_200_000));
    RecordingTap tap = new RecordingTap();

    DownloadResult r = newDownloader(TransferFixtures.fastSettings(3))
        .download(request(), destination(), ProgressListener.NONE, Cancellation.NONE, tap);

    assertThat(r.resumedFrom()).isPositive();
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(tap.files).containsExactly(part());
    long end = 0;
    for (long[] range : tap.ranges) {
      assertThat(range[0]).as("range start").isEqualTo(end);
      assertThat(range[1]).isPositive();
      end += range[1];
    }
    assertThat(end).isEqualTo(content.length);
  }

  @Test
  void downloadWithTap_verifiedDestinationReused_tapSeesNothing() throws Exception {
    download(request());
    RecordingTap tap = new RecordingTap();

    DownloadResult r = newDownloader(TransferFixtures.fastSettings(3))
        .download(request(), destination(), ProgressListener.NONE, Cancellation.NONE, tap);

    assertThat(r.reused()).isTrue();
    assertThat(tap.ranges).isEmpty();
  }

  @Test
  void download_afterFailedCall_resumesFromPartialFile() throws Exception {
    leavePartialFile(request(), 1_200_000);
    long partSize = Files.size(part());
    assertThat(partSize).isPositive().isLessThanOrEqualTo(1_200_000);
    server.clearRequests();

    DownloadResult r = download(request());

    assertThat(r.resumedFrom()).isEqualTo(partSize);
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).singleElement().satisfies(g -> assertThat(g.range()).hasValue("bytes=" + partSize + "-"));
    assertThat(cacheFilesExceptLocks()).containsExactly("disk.qcow2", "disk.qcow2.verified");
  }

  @Test
  void download_completePartialFile_finishesOn416WithoutBody() throws Exception {
    leavePartialFile(request(), 500_000);
    Files.write(part(), content);
    server.clearRequests();

    DownloadResult r = download(request());

    assertThat(r.resumedFrom()).isEqualTo(content.length);
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).singleElement().satisfies(g -> assertThat(g.range()).hasValue("bytes=" + content.length + "-"));
  }

  @Test
  void download_upstreamChangedSincePartialFile_ifRangeRestartsFromZero() throws Exception {
    byte[] newer = TransferFixtures.content(content.length, 1234);
    DownloadRequest wantsNewer = DownloadRequest.of(server.uri(PATH), TransferFixtures.sha256(newer));
    leavePartialFile(wantsNewer, 900_000);
    Path served = mirror.resolve("images/disk.qcow2");
    Files.write(served, newer);
    Files.setLastModifiedTime(served, FileTime.from(Instant.now().plusSeconds(60)));
    server.clearRequests();

    DownloadResult r = download(wantsNewer);

    assertThat(Files.readAllBytes(destination())).isEqualTo(newer);
    assertThat(r.resumedFrom()).isZero();
    assertThat(gets()).singleElement().satisfies(g -> {
      assertThat(g.isRangeGet()).isTrue();
      assertThat(g.header("If-Range")).isPresent();
    });
  }

  @Test
  void download_partialFileForOtherDigest_isDiscarded() throws Exception {
    leavePartialFile(DownloadRequest.of(server.uri(PATH), TransferFixtures.sha256(new byte[] {9})), 800_000);
    server.clearRequests();

    download(request());

    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(gets()).singleElement().matches(RecordedRequest::isFullGet);
  }

  @Test
  void download_fileInPlaceWithoutRecord_isCheckedAndReused() throws Exception {
    Files.write(destination(), content);
    DownloadResult r = download(request());
    assertThat(r.reused()).isTrue();
    assertThat(server.requests()).isEmpty();
    assertThat(cache.resolve("disk.qcow2.verified")).content().startsWith(TransferFixtures.sha256(content).toString());
  }

  @Test
  void download_fileInPlaceWithOtherContent_isReplaced() throws Exception {
    Files.write(destination(), new byte[] {1, 2, 3});
    DownloadResult r = download(request());
    assertThat(r.reused()).isFalse();
    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
  }

  @Test
  void download_verifiedRecordForOtherDigest_downloadsAgainEvenIfFileMatches() throws Exception {
    download(request());
    Digest other = TransferFixtures.sha256(new byte[] {4});
    Files.writeString(cache.resolve("disk.qcow2.verified"), other + " " + content.length + "\n");
    server.clearRequests();
    DownloadResult r = download(request());
    assertThat(r.reused()).isFalse();
    assertThat(gets()).hasSize(1);
  }

  @Test
  void download_corruptPartialFile_mismatchAfterResumeRestartsFromZero() throws Exception {
    leavePartialFile(request(), 1_000_000);
    Files.write(part(), new byte[(int) Files.size(part())]);
    server.clearRequests();

    DownloadResult r = download(request());

    assertThat(Files.readAllBytes(destination())).isEqualTo(content);
    assertThat(r.resumedFrom()).isZero();
    List<RecordedRequest> gets = gets();
    assertThat(gets).hasSize(2);
    assertThat(gets.get(0).isRangeGet()).isTrue();
    assertThat(gets.get(1).isFullGet()).isTrue();
  }

  @Test
  void download_wrongDigestAfterResume_stillFailsWithMismatch() throws Exception {
    Digest wrong = TransferFixtures.sha256(new byte[] {7});
    DownloadRequest req = DownloadRequest.of(server.uri(PATH), wrong);
    leavePartialFile(req, 1_000_000);
    assertThatThrownBy(() -> download(req))
        .isInstanceOf(io.carbon.computeimage.ports.error.DigestMismatchException.class)
        .hasMessageContaining(wrong.toString());
    assertThat(part()).doesNotExist();
    assertThat(destination()).doesNotExist();
  }

  @Test
  void download_corruptPartialFileWithSingleAttempt_stillRestartsOnce() throws Exception {
    leavePartialFile(request(), 1_000_000);
    Files.write(part(), new byte[(int) Files.size(part())]);
    DownloadResult r =
        newDownloader(TransferFixtures.fastSettings(1))
            .download(request(), destination(), ProgressListener.NONE, Cancellation.NONE);
    assertThat(Files.readAllBytes(r.file())).isEqualTo(content);
  }

  /**
   * A server without validators (no ETag, no Last-Modified) that cuts every body at the same
   * point: each attempt starts again from zero and gets as far as the last one. Progress must
   * mean getting further than before, else such a server is retried forever.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void download_serverAlwaysCutsAtTheSamePointWithoutValidators_failsAfterTheAttempts()
      throws Exception {
    try (CuttingServer cutting = new CuttingServer(content.length, 100_000)) {
      DownloadRequest req = DownloadRequest.of(cutting.uri(), TransferFixtures.sha256(content));
      assertThatThrownBy(
              () -> newDownloader(TransferFixtures.fastSettings(3))
                  .download(req, destination(), ProgressListener.NONE, Cancellation.NONE))
          .isInstanceOf(TransferException.class)
          .hasMessageContaining(cutting.uri().toString())
          .hasMessageContaining("after 3 attempts");
      assertThat(cutting.requests.get()).isEqualTo(3);
    }
  }

  /**
   * A resume answered with a 206 for another range every time, and the full download from zero
   * cut each time after the same bytes: restarts from zero count as attempts too.
   */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void download_resumeAlwaysAnsweredWithTheWrongRangeAndFullBodyCut_failsAfterTheAttempts()
      throws Exception {
    try (CuttingServer cutting = new CuttingServer(content.length, 100_000)) {
      cutting.wrongRange = true;
      DownloadRequest req = DownloadRequest.of(cutting.uri(), TransferFixtures.sha256(content));
      assertThatThrownBy(
              () -> newDownloader(TransferFixtures.fastSettings(3))
                  .download(req, destination(), ProgressListener.NONE, Cancellation.NONE))
          .isInstanceOf(TransferException.class)
          .hasMessageContaining(cutting.uri().toString());
      assertThat(cutting.requests.get()).isBetween(3, 6);
    }
  }

  /**
   * Answers every GET over raw sockets with the whole Content-Length but only the first
   * {@code cut} bytes of the body, then closes; a Range request gets, when {@link #wrongRange}
   * is set, a 206 for a range that does not start where asked (else the same cut 200).
   */
  private final class CuttingServer implements AutoCloseable {
    final java.net.ServerSocket socket = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());
    final java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    final Thread thread;
    volatile boolean wrongRange;

    CuttingServer(int length, int cut) throws java.io.IOException {
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (java.net.Socket s = socket.accept()) {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                s.getInputStream(), java.nio.charset.StandardCharsets.ISO_8859_1));
            boolean range = false;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
              range |= line.toLowerCase(java.util.Locale.ROOT).startsWith("range:");
            }
            requests.incrementAndGet();
            String head = range && wrongRange
                ? "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-" + (length - 1) + "/"
                    + length + "\r\nETag: \"x\"\r\n"
                : "HTTP/1.1 200 OK\r\n" + (wrongRange ? "ETag: \"x\"\r\n" : "");
            var out = s.getOutputStream();
            out.write((head + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(content, 0, cut);
            out.flush();
          } catch (java.io.IOException e) {
            // the client went away or the socket was closed: next one
          }
        }
      }, "cutting-server");
      thread.setDaemon(true);
      thread.start();
    }

    java.net.URI uri() {
      return java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/disk.qcow2");
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }
}
