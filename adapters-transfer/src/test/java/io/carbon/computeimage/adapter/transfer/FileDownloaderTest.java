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
}
