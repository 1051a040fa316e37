package io.carbon.computeimage.domain.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.ImageStatus;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.image.ImageConfig;
import io.carbon.computeimage.ports.image.ImageManifest;
import io.carbon.computeimage.ports.image.ImageRequest;
import io.carbon.computeimage.ports.image.ImageSource;
import io.carbon.computeimage.ports.image.LayerDescriptor;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.model.Platform;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.testkit.app.FakeDownloader;
import io.carbon.computeimage.testkit.app.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ContainerPullerTest {
  private static final HostInfo HOST = new HostInfo(OsFamily.LINUX, Arch.AMD64, true);

  @TempDir Path root;
  private final FakeDownloader fakeDownloader = new FakeDownloader();
  private final TappingDownloader downloader = new TappingDownloader();
  private final FakeSource source = new FakeSource();
  private final FakeStore store = new FakeStore();
  private ContainerLayout layout;
  private ContainerPuller puller;

  @BeforeEach
  void setUp() {
    layout = new ContainerLayout(root, OsFamily.LINUX);
    ContainerPullServices services =
        new ContainerPullServices() {
          @Override
          public ImageSource imageSource() {
            return source;
          }

          @Override
          public Downloader downloader() {
            return downloader;
          }


          @Override
          public LayerStore layerStore() {
            return store;
          }
        };
    puller =
        new ContainerPuller(
            services,
            new ImageRecordStore(),
            HOST,
            Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC),
            3);
  }

  private PulledImage pull(String ref) throws ComputeImageException {
    return puller.pull(ContainerRef.of(ref).withDir(root), layout, ProgressListener.NONE, Cancellation.NONE);
  }

  @Test
  void pull_threeLayers_layersInOrderRecordLastUpperWork() throws Exception {
    source.image("127.0.0.1:5000/team/app:v1", "linux", "amd64", "a", "b", "c");

    PulledImage img = pull("127.0.0.1:5000/team/app:v1");

    Path dir = root.resolve("127.0.0.1_5000/team/app/v1");
    assertThat(img.dir()).isEqualTo(dir);
    // setuid binaries and devices in the layers are out of other users' reach
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    ContainerPaths paths = ContainerImages.paths(img);
    assertThat(paths.layers()).containsExactly(dir.resolve("layers/00"), dir.resolve("layers/01"), dir.resolve("layers/02"));
    assertThat(Files.readString(dir.resolve("layers/00/content"))).isEqualTo("a");
    assertThat(Files.readString(dir.resolve("layers/02/content"))).isEqualTo("c");
    assertThat(store.lowersSeen).containsExactly(0, 1, 2);
    assertThat(paths.upper()).isEmptyDirectory();
    assertThat(paths.work()).isEmptyDirectory();
    assertThat(dir.resolve("manifest.json")).exists();
    assertThat(dir.resolve("config.json")).exists();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
    ImageRecord r = img.record();
    assertThat(r.kind()).isEqualTo("container");
    assertThat(r.reference()).isEqualTo("127.0.0.1:5000/team/app:v1");
    assertThat(r.platform()).isEqualTo("linux/amd64");
    assertThat(r.attribute("layers")).contains("3");
    assertThat(ContainerImages.list(r, "env")).containsExactly("PATH=/bin");
    assertThat(ContainerImages.list(r, "cmd")).containsExactly("sh");
    for (LayerDescriptor l : source.last.layers()) {
      assertThat(root.resolve("cache/sha256-" + l.digest().hex() + ".tar.gz")).isRegularFile();
    }
    assertThat(puller.find(ContainerRef.of("127.0.0.1:5000/team/app:v1"), layout)).isPresent();
    assertThat(puller.resolvePaths(ContainerRef.of("127.0.0.1:5000/team/app:v1"), layout).layers()).hasSize(3);
  }

  @Test
  void pull_unpackProgress_namedByLayerWithItsSize_notByTheTemporaryDirectory() throws Exception {
    source.image("127.0.0.1:5000/team/app:v1", "linux", "amd64", "a", "b");
    List<String> started = new CopyOnWriteArrayList<>();
    ProgressListener recording =
        new ProgressListener() {
          @Override
          public void started(String taskId, String description, long totalBytes) {
            started.add(description + " " + totalBytes);
          }
        };
    puller.pull(ContainerRef.of("127.0.0.1:5000/team/app:v1").withDir(root), layout, recording, Cancellation.NONE);

    List<LayerDescriptor> layers = source.last.layers();
    assertThat(started)
        .contains(
            "unpack layer 0 (" + layers.get(0).digest().hex().substring(0, 12) + ") " + layers.get(0).size(),
            "unpack layer 1 (" + layers.get(1).digest().hex().substring(0, 12) + ") " + layers.get(1).size())
        .noneMatch(d -> d.contains(".tmp-layer"));
  }

  @Test
  void pull_again_upToDateNothingDownloadedOrUnpacked() throws Exception {
    source.image("localhost/app:1", "linux", "amd64", "a", "b");
    pull("localhost/app:1");
    int fetched = downloader.fetched().size();
    int unpacked = store.unpacks.get();

    pull("localhost/app:1");

    assertThat(downloader.fetched()).hasSize(fetched);
    assertThat(store.unpacks.get()).isEqualTo(unpacked);
  }

  @Test
  void pull_secondImageSharingLayers_downloadsOnlyItsNewBlob() throws Exception {
    source.image("localhost/one:1", "linux", "amd64", "base", "mid");
    source.image("localhost/two:1", "linux", "amd64", "base", "mid", "top");
    pull("localhost/one:1");
    List<String> before = downloader.fetched();

    pull("localhost/two:1");

    List<String> after = downloader.fetched();
    assertThat(after.subList(before.size(), after.size())).hasSize(1).allMatch(u -> u.endsWith(source.digestOf("top").toString()));
    assertThat(root.resolve("localhost/two/1/layers/02/content")).hasContent("top");
  }

  @Test
  void pull_duplicateLayerInManifest_blobDownloadedOnce() throws Exception {
    source.image("localhost/dup:1", "linux", "amd64", "x", "y", "x");
    pull("localhost/dup:1");
    assertThat(downloader.fetched()).hasSize(2);
    assertThat(root.resolve("localhost/dup/1/layers/02/content")).hasContent("x");
  }

  @Test
  void pull_diffIdMismatch_refusedWithoutLayerDirOrRecord() throws Exception {
    source.image("localhost/bad:1", "linux", "amd64", "a", "b");
    source.corruptDiffId = 1;

    assertThatThrownBy(() -> pull("localhost/bad:1"))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("layer 1")
        .hasMessageContaining("localhost/bad:1")
        .hasMessageContaining("diffID");

    Path dir = root.resolve("localhost/bad/1");
    assertThat(dir.resolve("layers/00")).isDirectory();
    assertThat(dir.resolve("layers/01")).doesNotExist();
    assertThat(dir.resolve(ImageRecordStore.FILE_NAME)).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
    assertThat(puller.find(ContainerRef.of("localhost/bad:1"), layout)).isEmpty();
  }

  @Test
  void pull_interruptedThenRepulled_notReadyMeanwhileAndCompletedLayersKept() throws Exception {
    source.image("localhost/int:1", "linux", "amd64", "a", "b", "c");
    store.failAt = 2;
    assertThatThrownBy(() -> pull("localhost/int:1")).isInstanceOf(LocalStorageException.class);
    assertThat(puller.find(ContainerRef.of("localhost/int:1"), layout)).isEmpty();
    assertThat(root.resolve("localhost/int/1/layers/01")).isDirectory();

    store.failAt = -1;
    store.unpackedIndexes.clear();
    int fetched = downloader.fetched().size();
    pull("localhost/int:1");

    assertThat(store.unpackedIndexes).containsExactly(2);
    assertThat(downloader.fetched()).hasSize(fetched);
    assertThat(puller.find(ContainerRef.of("localhost/int:1"), layout)).isPresent();
  }

  @Test
  void pull_interrupted_listedIncompleteUnderItsReferenceUntilCompleted() throws Exception {
    ImageRecordStore records = new ImageRecordStore();
    source.image("127.0.0.1:5000/team/app:v1", "linux", "amd64", "a", "b", "c");
    store.failAt = 1;
    assertThatThrownBy(() -> pull("127.0.0.1:5000/team/app:v1")).isInstanceOf(LocalStorageException.class);

    List<StoredImage> listed = records.list(root, "cache");
    assertThat(listed).hasSize(1);
    StoredImage inc = listed.get(0);
    assertThat(inc.status()).isEqualTo(ImageStatus.INCOMPLETE);
    assertThat(inc.dir()).isEqualTo(root.resolve("127.0.0.1_5000/team/app/v1"));
    assertThat(inc.reference()).isEqualTo("127.0.0.1:5000/team/app:v1");
    assertThat(inc.kind()).isEqualTo("container");
    assertThat(inc.platform()).isEqualTo("linux/amd64");
    assertThat(inc.registry()).isEqualTo("127.0.0.1:5000");

    store.failAt = -1;
    PulledImage img = pull("127.0.0.1:5000/team/app:v1");

    assertThat(img.dir().resolve(ImageRecordStore.IN_PROGRESS_FILE_NAME)).doesNotExist();
    assertThat(records.list(root, "cache")).singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo(ImageStatus.READY));
  }

  @Test
  void pull_tagMovedToNewManifest_oldLayersReplaced() throws Exception {
    source.image("localhost/mv:1", "linux", "amd64", "a", "b", "c");
    pull("localhost/mv:1");
    source.image("localhost/mv:1", "linux", "amd64", "new");

    PulledImage img = pull("localhost/mv:1");

    assertThat(ContainerImages.paths(img).layers()).hasSize(1);
    assertThat(root.resolve("localhost/mv/1/layers/00/content")).hasContent("new");
    assertThat(root.resolve("localhost/mv/1/layers/01")).doesNotExist();
  }

  @Test
  void pull_singlePlatformImageForOtherOs_notFound() {
    source.image("localhost/win:1", "windows", "amd64", "a");
    assertThatThrownBy(() -> pull("localhost/win:1"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("windows/amd64")
        .hasMessageContaining("linux/amd64");
  }

  @Test
  void pull_explicitPlatformPassedToSource() throws Exception {
    source.image("localhost/arm:1", "linux", "arm64", "a");
    puller.pull(
        ContainerRef.of("localhost/arm:1").withPlatform("linux/aarch64"),
        layout,
        ProgressListener.NONE,
        Cancellation.NONE);
    assertThat(source.requests.get(source.requests.size() - 1).platform().toString())
        .isEqualTo("linux/arm64");
  }

  @Test
  void pull_blobMissing_failsNamingUrlAndNoRecord() throws Exception {
    source.unserved = "b";
    source.image("localhost/miss:1", "linux", "amd64", "a", "b");
    assertThatThrownBy(() -> pull("localhost/miss:1"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(source.digestOf("b").toString());
    assertThat(root.resolve("localhost/miss/1/" + ImageRecordStore.FILE_NAME)).doesNotExist();
  }

  @Test
  void pull_firstPullFailsBeforeAnyLayer_noImageDirectory() throws Exception {
    source.unserved = "only";
    source.image("localhost/gone:1", "linux", "amd64", "only");
    assertThatThrownBy(() -> pull("localhost/gone:1")).isInstanceOf(NotFoundException.class);
    assertThat(root.resolve("localhost")).doesNotExist();
    assertThat(new ImageRecordStore().list(root, "cache")).isEmpty();

    source.image("localhost/win:1", "windows", "amd64", "a");
    assertThatThrownBy(() -> pull("localhost/win:1")).isInstanceOf(NotFoundException.class);
    assertThat(root.resolve("localhost")).doesNotExist();
  }

  @Test
  void pull_malformedLayer_refusedAndTempRemoved() throws Exception {
    source.image("localhost/mal:1", "linux", "amd64", "a", "MALFORMED");
    assertThatThrownBy(() -> pull("localhost/mal:1")).isInstanceOf(MalformedImageException.class);
    try (Stream<Path> s = Files.list(root.resolve("localhost/mal/1"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
  }

  @Test
  void pull_downloadTapped_everyLayerUnpacksFromTheStreamAndMatches() throws Exception {
    downloader.tapping = true;
    source.image("localhost/st:1", "linux", "amd64", "alpha", "beta", "gamma");

    PulledImage img = pull("localhost/st:1");

    Path dir = root.resolve("localhost/st/1");
    assertThat(dir.resolve("layers/00/content")).hasContent("alpha");
    assertThat(dir.resolve("layers/02/content")).hasContent("gamma");
    assertThat(store.streamUnpacks.get()).isEqualTo(3);
    assertThat(store.pathUnpacks.get()).isZero();
    assertThat(store.lowersSeen).containsExactly(0, 1, 2);
    assertThat(puller.find(ContainerRef.of("localhost/st:1"), layout)).isPresent();
    assertThat(img.record().attribute("layers")).contains("3");
  }

  @Test
  void pull_streamedBlobFailsItsDigest_noLayerNoTemporaryDirectoryNoRecord() throws Exception {
    downloader.tapping = true;
    source.image("localhost/evil:1", "linux", "amd64", "a", "b");
    downloader.servedInstead(source.digestOf("b"), gzip("evil".getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> pull("localhost/evil:1"))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(source.digestOf("b").toString());

    Path dir = root.resolve("localhost/evil/1");
    assertThat(store.streamUnpacks.get()).isEqualTo(2); // "evil" was unpacked from the stream...
    assertThat(dir.resolve("layers/01")).doesNotExist(); // ...but never taken as the layer
    assertThat(dir.resolve(ImageRecordStore.FILE_NAME)).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
    assertThat(puller.find(ContainerRef.of("localhost/evil:1"), layout)).isEmpty();
  }

  @Test
  void pull_downloadResumedInTheSameCall_theStreamContinuesAndTheLayerMatches() throws Exception {
    downloader.tapping = true;
    downloader.mode = TappingDownloader.Mode.RESUME;
    source.image("localhost/res:1", "linux", "amd64", "first layer", "second layer");

    pull("localhost/res:1");

    assertThat(root.resolve("localhost/res/1/layers/00/content")).hasContent("first layer");
    assertThat(root.resolve("localhost/res/1/layers/01/content")).hasContent("second layer");
    assertThat(store.streamUnpacks.get()).isEqualTo(2);
    assertThat(store.pathUnpacks.get()).isZero();
  }

  @Test
  void pull_downloadRestartsAfterBytesWereRead_layerUnpackedAgainFromTheVerifiedBlob()
      throws Exception {
    downloader.tapping = true;
    downloader.mode = TappingDownloader.Mode.RESTART_AFTER_READ;
    source.image("localhost/rst:1", "linux", "amd64", "only layer, long enough to be read in parts");

    pull("localhost/rst:1");

    assertThat(root.resolve("localhost/rst/1/layers/00/content"))
        .hasContent("only layer, long enough to be read in parts");
    assertThat(store.pathUnpacks.get()).isEqualTo(1);
    try (Stream<Path> s = Files.list(root.resolve("localhost/rst/1"))) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
  }

  @Test
  void pull_lowerLayerFails_upperLayersNeverRenamedAndTheLowerErrorReported() throws Exception {
    downloader.tapping = true;
    source.image("localhost/low:1", "linux", "amd64", "a", "b", "c");
    store.failAt = 1;

    assertThatThrownBy(() -> pull("localhost/low:1"))
        .isInstanceOf(LocalStorageException.class)
        .hasMessageContaining("injected");

    // the layer below the failure completes and is kept for the next pull; none above is renamed
    Path dir = root.resolve("localhost/low/1");
    assertThat(dir.resolve("layers/00")).isDirectory();
    assertThat(dir.resolve("layers/01")).doesNotExist();
    assertThat(dir.resolve("layers/02")).doesNotExist();
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-layer"));
    }
  }

  @Test
  void pull_bottomLayerFails_firstPullLeavesNoEntry() throws Exception {
    downloader.tapping = true;
    source.image("localhost/bottom:1", "linux", "amd64", "a", "b", "c");
    store.failAt = 0;

    assertThatThrownBy(() -> pull("localhost/bottom:1"))
        .isInstanceOf(LocalStorageException.class)
        .hasMessageContaining("injected");

    assertThat(root.resolve("localhost/bottom/1")).doesNotExist();
  }

  /**
   * A downloader that serves like {@link FakeDownloader}, or, when {@code tapping}, writes the
   * body into {@code <dest>.part} a few bytes at a time, telling the tap, and verifies at the end.
   */
  private final class TappingDownloader implements Downloader {
    enum Mode { PLAIN, RESUME, RESTART_AFTER_READ }

    final Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<Digest, byte[]> instead = new java.util.concurrent.ConcurrentHashMap<>();
    volatile boolean tapping;
    volatile Mode mode = Mode.PLAIN;

    void serve(String uri, byte[] data) {
      bodies.put(uri, data.clone());
      fakeDownloader.serve(uri, data);
    }

    void servedInstead(Digest digest, byte[] body) {
      instead.put(digest, body);
    }

    List<String> fetched() {
      return fakeDownloader.fetched();
    }

    @Override
    public io.carbon.computeimage.ports.transfer.DownloadResult download(
        DownloadRequest request, Path destination, ProgressListener listener, Cancellation cancellation)
        throws ComputeImageException {
      return fakeDownloader.download(request, destination, listener, cancellation);
    }

    @Override
    public io.carbon.computeimage.ports.transfer.DownloadResult download(
        DownloadRequest request,
        Path destination,
        ProgressListener listener,
        Cancellation cancellation,
        io.carbon.computeimage.ports.transfer.DownloadTap tap)
        throws ComputeImageException {
      if (!tapping) {
        return download(request, destination, listener, cancellation);
      }
      byte[] body = instead.getOrDefault(request.expected(), bodies.get(request.uri().toString()));
      if (body == null) {
        throw new NotFoundException("HTTP 404 for " + request.uri());
      }
      Path part = destination.resolveSibling(destination.getFileName() + ".part");
      try {
        Files.createDirectories(destination.getParent());
        Files.deleteIfExists(part);
        int half = body.length / 2;
        append(part, body, 0, half, tap);
        long resumedFrom = 0;
        if (mode == Mode.RESTART_AFTER_READ) {
          if (!store.firstRead.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("the store read nothing");
          }
          Files.delete(part); // a restart from byte 0 into a new file
          append(part, body, 0, body.length, tap);
        } else {
          resumedFrom = mode == Mode.RESUME ? half : 0;
          append(part, body, half, body.length, tap);
        }
        Digest actual = Hashes.sha256(body);
        if (!actual.equals(request.expected())) {
          Files.delete(part);
          throw new DigestMismatchException(request.uri().toString(), request.expected(), actual);
        }
        Files.move(part, destination, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new io.carbon.computeimage.ports.transfer.DownloadResult(
            destination, body.length, false, resumedFrom);
      } catch (IOException | InterruptedException e) {
        throw new LocalStorageException("cannot write " + part + ": " + e, e);
      }
    }

    private void append(Path part, byte[] body, int from, int to,
        io.carbon.computeimage.ports.transfer.DownloadTap tap) throws IOException {
      for (int at = from; at < to; at += 5) {
        int n = Math.min(5, to - at);
        Files.write(part, java.util.Arrays.copyOfRange(body, at, at + n),
            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        tap.written(part, at, n);
      }
    }
  }

  /** An image source serving in-memory images; blobs are served by the fake downloader. */
  private final class FakeSource implements ImageSource {
    final Map<String, ImageManifest> images = new HashMap<>();
    final Map<String, Digest> digests = new HashMap<>();
    final List<ImageRequest> requests = new CopyOnWriteArrayList<>();
    int corruptDiffId = -1;
    String unserved;
    ImageManifest last;

    Digest digestOf(String content) {
      return digests.get(content);
    }

    void image(String ref, String os, String arch, String... contents) {
      try {
        ImageReference ir = ImageReference.parse(ref);
        List<LayerDescriptor> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (String c : contents) {
          byte[] raw = c.getBytes(StandardCharsets.UTF_8);
          byte[] gz = gzip(raw);
          Digest d = Hashes.sha256(gz);
          digests.put(c, d);
          layers.add(new LayerDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", d, gz.length, LayerCompression.GZIP, List.of()));
          diffIds.add(Hashes.sha256(raw));
          if (!c.equals(unserved)) {
            downloader.serve("mem://" + ir.repository() + "/" + d, gz);
          }
        }
        byte[] manifest = ("{\"m\":\"" + ref + String.join(",", contents) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"c\":\"" + ref + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest md = Hashes.sha256(manifest);
        images.put(
            ir.toString(),
            new ImageManifest(
                ir.toRegistryImage(),
                md,
                md,
                "application/vnd.oci.image.manifest.v1+json",
                manifest,
                Hashes.sha256(config),
                config,
                new ImageConfig(new Platform(os, arch, "", ""), diffIds, List.of("PATH=/bin"), List.of(), List.of("sh"), "", "", ""),
                layers));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ImageManifest resolve(ImageRequest request, Cancellation cancellation) throws ComputeImageException {
      requests.add(request);
      ImageManifest m = images.get(request.image().toString());
      if (m == null) {
        throw new NotFoundException("no such image " + request.image());
      }
      if (corruptDiffId >= 0) {
        List<Digest> ids = new ArrayList<>(m.config().diffIds());
        ids.set(corruptDiffId, Hashes.sha256(new byte[] {1, 2, 3}));
        ImageConfig c = m.config();
        m = new ImageManifest(m.image(), m.resolvedDigest(), m.manifestDigest(), m.manifestMediaType(), m.manifestBytes(), m.configDigest(), m.configBytes(),
            new ImageConfig(c.platform(), ids, c.env(), c.entrypoint(), c.cmd(), c.workingDir(), c.user(), c.created()), m.layers());
      }
      last = m;
      return m;
    }

    @Override
    public DownloadRequest blobDownload(ImageRequest request, LayerDescriptor layer) {
      return new DownloadRequest(URI.create("mem://" + request.image().repository() + "/" + layer.digest()), Map.of(), layer.digest(), layer.size());
    }
  }

  /** A layer store writing each layer's uncompressed content into a file named content. */
  private static final class FakeStore implements LayerStore {
    final AtomicInteger unpacks = new AtomicInteger();
    final List<Integer> lowersSeen = new CopyOnWriteArrayList<>();
    final List<Integer> unpackedIndexes = new CopyOnWriteArrayList<>();
    final AtomicInteger streamUnpacks = new AtomicInteger();
    final AtomicInteger pathUnpacks = new AtomicInteger();
    final java.util.concurrent.CountDownLatch firstRead = new java.util.concurrent.CountDownLatch(1);
    volatile int failAt = -1;

    @Override
    public LayerUnpackResult unpack(InputStream blob, LayerCompression compression, Path layerDir,
        io.carbon.computeimage.ports.store.LowerLayers lowerLayers, ProgressListener l, Cancellation c)
        throws ComputeImageException {
      List<Path> lowers = lowerLayers.await();
      streamUnpacks.incrementAndGet();
      // as the overlay store does: it knows the directory, not the layer, and no size while streaming
      l.started("unpack " + layerDir.getFileName(), "unpack stream for " + layerDir.getFileName(), -1);
      l.finished("unpack " + layerDir.getFileName());
      InputStream counting = new java.io.FilterInputStream(blob) {
        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            firstRead.countDown();
          }
          return n;
        }

        @Override
        public void close() {
          // the caller owns the stream
        }
      };
      try {
        return write(new GZIPInputStream(counting).readAllBytes(), layerDir, lowers);
      } catch (IOException e) {
        throw new LocalStorageException("cannot read the blob: " + e, e);
      }
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public LayerUnpackResult unpack(Path blob, LayerCompression compression, Path layerDir, ProgressListener l, Cancellation c)
        throws ComputeImageException {
      return unpack(blob, compression, layerDir, List.of(), l, c);
    }

    @Override
    public LayerUnpackResult unpack(Path blob, LayerCompression compression, Path layerDir, List<Path> lowers, ProgressListener l, Cancellation c)
        throws ComputeImageException {
      pathUnpacks.incrementAndGet();
      try (InputStream in = new GZIPInputStream(Files.newInputStream(blob))) {
        return write(in.readAllBytes(), layerDir, lowers);
      } catch (IOException e) {
        throw new LocalStorageException(e.toString(), e);
      }
    }

    private LayerUnpackResult write(byte[] raw, Path layerDir, List<Path> lowers)
        throws ComputeImageException {
      for (Path lower : lowers) {
        if (!Files.isDirectory(lower)) {
          throw new IllegalStateException("lower layer missing: " + lower);
        }
      }
      lowersSeen.add(lowers.size());
      unpackedIndexes.add(lowers.size());
      if (lowers.size() == failAt) {
        throw new LocalStorageException("injected failure unpacking into " + layerDir);
      }
      try {
        if (new String(raw, StandardCharsets.UTF_8).equals("MALFORMED")) {
          Files.writeString(layerDir.resolve("partial"), "x");
          throw new MalformedImageException("malformed layer in " + layerDir);
        }
        Files.write(layerDir.resolve("content"), raw);
        unpacks.incrementAndGet();
        return new LayerUnpackResult(Hashes.sha256(raw), raw.length, 1);
      } catch (IOException e) {
        throw new LocalStorageException(e.toString(), e);
      }
    }

    @Override
    public void prepareWritable(Path imageDir) throws ComputeImageException {
      try {
        Files.createDirectories(imageDir.resolve("upper"));
        Files.createDirectories(imageDir.resolve("work"));
      } catch (IOException e) {
        throw new LocalStorageException(e.toString(), e);
      }
    }

    @Override
    public void remove(Path imageDir) {}
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(raw);
    }
    return bos.toByteArray();
  }
}
