package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.domain.image.Describe;
import io.carbon.computeimage.domain.image.DirectoryLock;
import io.carbon.computeimage.domain.image.FileTrees;
import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.RootGuard;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.image.ImageManifest;
import io.carbon.computeimage.ports.image.ImageRequest;
import io.carbon.computeimage.ports.image.ImageSource;
import io.carbon.computeimage.ports.image.LayerDescriptor;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.Platform;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.store.LowerLayers;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.Downloader;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container pull pipeline: resolve the reference for a platform, download the layer blobs in
 * parallel (a bounded number at once) into the shared content-addressed cache while the {@link
 * LayerStore} unpacks each of them from the bytes already downloaded (layers in parallel, a layer
 * waiting for the ones below only where it needs them) into a temporary directory, which is
 * renamed to {@code layers/NN} only after the blob's digest was verified and its diffID matched the
 * config; then prepare {@code upper/} and {@code work/}, and write the image record last.
 *
 * <p>A per-image lock (threads and processes) serializes pulls of the same image. The record is
 * deleted before anything changes and written only at the end, so an interrupted pull is never
 * reported ready; a first pull that fails before completing a layer removes the image directory
 * it created (nothing is listed); a re-pull of the same manifest keeps the layers that were
 * completed, and blobs in the cache are never downloaded again (the {@link Downloader} reuses
 * verified files and resumes partial ones). Thread-safe.
 *
 * @since 0.1
 */
public final class ContainerPuller {
  /** How many layer blobs download at once by default. */
  public static final int DEFAULT_PARALLEL_DOWNLOADS = 3;

  private static final String TMP_PREFIX = ".tmp-layer-";
  private static final Map<String, Object> BLOB_LOCKS = new ConcurrentHashMap<>();

  private final ContainerPullServices services;
  private final ImageRecordStore records;
  private final HostInfo host;
  private final Clock clock;
  private final int parallelDownloads;

  /**
   * Creates the pipeline.
   *
   * @param services the adapters
   * @param records the record store
   * @param host the host (default platform)
   * @param clock the clock for {@code pulledAt}
   * @param parallelDownloads how many blobs download at once (at least 1)
   */
  public ContainerPuller(
      ContainerPullServices services,
      ImageRecordStore records,
      HostInfo host,
      Clock clock,
      int parallelDownloads) {
    this.services = Objects.requireNonNull(services, "services is null");
    this.records = Objects.requireNonNull(records, "records is null");
    this.host = Objects.requireNonNull(host, "host is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
    if (parallelDownloads < 1) {
      throw new IllegalArgumentException("parallelDownloads must be at least 1");
    }
    this.parallelDownloads = parallelDownloads;
  }

  /**
   * Computes where an image is or would be stored, reading only its record (if any).
   *
   * @param ref the reference
   * @param layout the layout of the root
   * @return the paths; {@code layers} lists the pulled layers, or none when not pulled
   * @throws ComputeImageException for an invalid reference or an unreadable record
   */
  public ContainerPaths resolvePaths(ContainerRef ref, ContainerLayout layout)
      throws ComputeImageException {
    Path dir = layout.imageDir(ImageReference.parse(ref.image()));
    Optional<ImageRecord> r = records.read(dir);
    int layers = r.map(x -> (int) Math.max(0, x.longAttribute("layers"))).orElse(0);
    return layout.paths(dir, layers);
  }

  /**
   * Finds a completely pulled image.
   *
   * @param ref the reference
   * @param layout the layout of the root
   * @return the image, or empty when not pulled or incomplete
   * @throws ComputeImageException for an invalid reference or an unreadable record
   */
  public Optional<PulledImage> find(ContainerRef ref, ContainerLayout layout)
      throws ComputeImageException {
    Path dir = layout.imageDir(ImageReference.parse(ref.image()));
    return records.read(dir).map(r -> new PulledImage(dir, r));
  }

  /**
   * Pulls an image.
   *
   * @param ref the reference, platform and options
   * @param layout the layout of the root
   * @param listener progress receiver
   * @param cancellation checked between steps
   * @return the pulled image
   * @throws ComputeImageException as the ports report it: invalid reference, not found (repo,
   *     tag, platform), unauthorized, network, digest/diffID mismatch, malformed or unsafe layers,
   *     local I/O, cancellation
   */
  public PulledImage pull(
      ContainerRef ref, ContainerLayout layout, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    ImageReference ir = ImageReference.parse(ref.image());
    boolean explicitPlatform = ref.platform().isPresent();
    Platform wanted =
        explicitPlatform ? PlatformSpec.parse(ref.platform().get()) : PlatformSpec.ofHost(host);
    Path dir = layout.imageDir(ir);
    RootGuard.mark(layout.root());
    Optional<Path> created;
    try {
      created = FileTrees.createDirectories(dir);
      restrictToOwner(dir);
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot create image directory " + dir + ": " + Describe.cause(e), e);
    }
    try (DirectoryLock lock =
        DirectoryLock.acquire(dir.resolve(ContainerLayout.LOCK), listener, ir.toString(), cancellation)) {
      try {
        return pullLocked(ref, ir, wanted, explicitPlatform, layout, dir, listener, cancellation);
      } catch (ComputeImageException | RuntimeException e) {
        // a first pull that failed before completing any layer leaves no image entry; completed
        // layers stay for the next attempt (the cache keeps downloaded and partial blobs anyway)
        if (created.isPresent() && !Files.isDirectory(ContainerLayout.layerDir(dir, 0))) {
          records.discardFailedPull(dir, created.get(), e);
        }
        throw e;
      }
    }
  }

  private PulledImage pullLocked(
      ContainerRef ref,
      ImageReference ir,
      Platform wanted,
      boolean explicitPlatform,
      ContainerLayout layout,
      Path dir,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    ImageSource source = services.imageSource();
    ImageRequest request = new ImageRequest(ir.toRegistryImage(), wanted, ref.insecure());
    listener.note("resolving " + ir + " for " + wanted);
    ImageManifest m = source.resolve(request, cancellation);
    Platform actual = checkPlatform(ir, m, wanted, explicitPlatform);
    Optional<ImageRecord> existing = records.read(dir);
    if (existing.isPresent() && isComplete(dir, existing.get(), m)) {
      listener.note(ir + " is up to date (" + m.manifestDigest() + ")");
      return new PulledImage(dir, existing.get());
    }
    records.delete(dir);
    prepareDirectory(dir, m);
    records.writeInProgress(
        dir,
        new ImageRecord(ImageRecord.KIND_CONTAINER, ir.toString(), actual.toString(), ir.registry(), clock.instant(), Map.of()));
    writeAtomically(dir, ContainerLayout.MANIFEST, m.manifestBytes());
    writeAtomically(dir, ContainerLayout.CONFIG, m.configBytes());
    fetchAndUnpack(ir, request, m, layout, dir, source, listener, cancellation);
    services.layerStore().prepareWritable(dir);
    ImageRecord record =
        new ImageRecord(
            ImageRecord.KIND_CONTAINER,
            ir.toString(),
            actual.toString(),
            ir.registry(),
            clock.instant(),
            attributes(m, layout));
    records.write(dir, record);
    listener.note(
        "pulled " + ir + " (" + m.manifestDigest() + ", " + m.layers().size()
            + (m.layers().size() == 1 ? " layer)" : " layers)"));
    return new PulledImage(dir, record);
  }

  private Platform checkPlatform(
      ImageReference ir, ImageManifest m, Platform wanted, boolean explicit)
      throws NotFoundException {
    Platform cfg = m.config().platform();
    if (cfg.os().isEmpty() || cfg.architecture().isEmpty()) {
      return wanted;
    }
    Platform actual = PlatformSpec.normalize(cfg);
    boolean fromIndex = !m.resolvedDigest().equals(m.manifestDigest());
    if (!fromIndex) {
      boolean osDiffers = !actual.os().equals(wanted.os());
      boolean archDiffers =
          !actual.architecture().equals(wanted.architecture())
              || !actual.variant().equals(wanted.variant());
      if (osDiffers || (explicit && archDiffers)) {
        throw new NotFoundException(
            ir + " is a single-platform image for " + actual + ", not " + wanted);
      }
    }
    return actual;
  }

  private static boolean isComplete(Path dir, ImageRecord r, ImageManifest m) {
    if (!r.attribute("manifestDigest").orElse("").equals(m.manifestDigest().toString())) {
      return false;
    }
    for (int i = 0; i < m.layers().size(); i++) {
      if (!Files.isDirectory(ContainerLayout.layerDir(dir, i))) {
        return false;
      }
    }
    return Files.isDirectory(dir.resolve("upper")) && Files.isDirectory(dir.resolve("work"));
  }

  /**
   * Keeps the completed layers of an interrupted pull of the same manifest; otherwise empties the
   * directory (all but the lock). Leftover temporary layer directories are always removed.
   */
  private static void prepareDirectory(Path dir, ImageManifest m) throws ComputeImageException {
    boolean sameManifest = false;
    Path stored = dir.resolve(ContainerLayout.MANIFEST);
    if (Files.isRegularFile(stored)) {
      try {
        sameManifest = sha256(Files.readAllBytes(stored)).equals(m.manifestDigest().hex());
      } catch (IOException e) {
        sameManifest = false;
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path child : ds) {
        String name = child.getFileName().toString();
        if (name.equals(ContainerLayout.LOCK)) {
          continue;
        }
        if (!sameManifest || name.startsWith(TMP_PREFIX) || name.startsWith(".")) {
          FileTrees.deleteRecursively(child);
        }
      }
    } catch (IOException e) {
      throw new LocalStorageException("cannot clean image directory " + dir + ": " + Describe.cause(e), e);
    }
    if (sameManifest) {
      // layers beyond the manifest's count cannot be ours
      for (int i = m.layers().size(); ; i++) {
        Path extra = ContainerLayout.layerDir(dir, i);
        if (!Files.exists(extra)) {
          break;
        }
        FileTrees.deleteRecursively(extra);
      }
    }
  }

  private void fetchAndUnpack(
      ImageReference ir,
      ImageRequest request,
      ImageManifest m,
      ContainerLayout layout,
      Path dir,
      ImageSource source,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    List<LayerDescriptor> layers = m.layers();
    int n = layers.size();
    try {
      Files.createDirectories(dir.resolve(ContainerLayout.LAYERS));
      Files.createDirectories(layout.cacheDir());
    } catch (IOException e) {
      throw new LocalStorageException("cannot create " + dir.resolve(ContainerLayout.LAYERS) + ": " + Describe.cause(e), e);
    }
    Downloader downloader = services.downloader();
    LayerStore store = services.layerStore();
    // A failed layer stops the layers above it; the layers below it go on, so that they are kept
    // for the next pull of the same manifest (as when layers completed in order).
    AtomicInteger lowestFailed = new AtomicInteger(Integer.MAX_VALUE);
    ComputeImageException[] errors = new ComputeImageException[n];
    int threads = Math.max(1, Math.min(parallelDownloads, n));
    ExecutorService downloads = newPool(threads, "layer-download-");
    ExecutorService unpacks = newPool(threads, "layer-unpack-");
    List<CompletableFuture<Void>> done = new ArrayList<>();
    try {
      // Submitted in layer order to FIFO pools: a layer waits only for lower layers, which started
      // before it, so the lowest running layer never waits and the pull always progresses.
      for (int i = 0; i < n; i++) {
        CompletableFuture<Void> layerDone = new CompletableFuture<>();
        done.add(layerDone);
        if (Files.isDirectory(ContainerLayout.layerDir(dir, i))) {
          listener.note("layer " + i + " (" + short12(layers.get(i).digest()) + ") already unpacked");
          layerDone.complete(null);
          continue;
        }
        int index = i;
        Cancellation inner = () -> lowestFailed.get() < index || cancellation.isCancelled();
        LayerJob job =
            new LayerJob(ir, request, m, i, layout, dir, source, downloader, store, listener, inner,
                lowerLayers(dir, i, done));
        Future<DownloadResult> download = downloads.submit(job::download);
        unpacks.submit(
            () -> {
              try {
                job.unpack(download);
                layerDone.complete(null);
              } catch (ComputeImageException e) {
                errors[index] = e;
                lowestFailed.accumulateAndGet(index, Math::min);
                layerDone.completeExceptionally(e);
              } catch (RuntimeException | Error e) {
                errors[index] = new LocalStorageException(
                    "unpacking layer " + index + " of " + ir + " failed: " + e, e);
                lowestFailed.accumulateAndGet(index, Math::min);
                layerDone.completeExceptionally(e);
              }
            });
      }
      for (int i = 0; i < n; i++) {
        try {
          done.get(i).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException("pull of " + ir + " interrupted", e);
        } catch (ExecutionException e) {
          // every layer ends (the ones above a failure are cancelled); the error is chosen below
        }
      }
      int failed = lowestFailed.get();
      if (failed < n) {
        throw errors[failed]; // the lowest failed layer's own error (those above were stopped)
      }
      cancellation.check();
    } finally {
      shutdown(downloads);
      shutdown(unpacks);
    }
  }

  /** The lower layers of layer {@code i}: their directories once every one of them is done. */
  private static LowerLayers lowerLayers(Path dir, int i, List<CompletableFuture<Void>> done) {
    List<Path> dirs = new ArrayList<>();
    for (int j = 0; j < i; j++) {
      dirs.add(ContainerLayout.layerDir(dir, j));
    }
    List<CompletableFuture<Void>> below = List.copyOf(done.subList(0, i));
    return () -> {
      for (int j = 0; j < below.size(); j++) {
        try {
          below.get(j).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException("interrupted while waiting for layer " + j, e);
        } catch (ExecutionException e) {
          throw new CancelledException("layer " + j + " below failed", e.getCause());
        }
      }
      return List.copyOf(dirs);
    };
  }

  private static ExecutorService newPool(int threads, String prefix) {
    AtomicInteger threadNo = new AtomicInteger();
    return Executors.newFixedThreadPool(
        threads,
        r -> {
          Thread t = new Thread(r, prefix + threadNo.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  private static void shutdown(ExecutorService pool) {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One layer: its blob downloads into the cache (on a download thread) while it unpacks from the
   * bytes already written (on an unpack thread) into a temporary directory, which becomes {@code
   * layers/NN} only after the download was verified and the diffID matched.
   */
  private static final class LayerJob {
    final ImageReference ir;
    final ImageRequest request;
    final ImageManifest m;
    final int index;
    final ContainerLayout layout;
    final Path dir;
    final ImageSource source;
    final Downloader downloader;
    final LayerStore store;
    final ProgressListener listener;
    final Cancellation cancellation;
    final LowerLayers lowers;
    final FollowedBlob blob = new FollowedBlob();

    LayerJob(
        ImageReference ir,
        ImageRequest request,
        ImageManifest m,
        int index,
        ContainerLayout layout,
        Path dir,
        ImageSource source,
        Downloader downloader,
        LayerStore store,
        ProgressListener listener,
        Cancellation cancellation,
        LowerLayers lowers) {
      this.ir = ir;
      this.request = request;
      this.m = m;
      this.index = index;
      this.layout = layout;
      this.dir = dir;
      this.source = source;
      this.downloader = downloader;
      this.store = store;
      this.listener = listener;
      this.cancellation = cancellation;
      this.lowers = lowers;
    }

    DownloadResult download() throws ComputeImageException {
      LayerDescriptor layer = m.layers().get(index);
      Path destination = layout.cachedBlob(layer.digest(), layer.compression());
      // one download per blob in this JVM (a manifest may list a blob twice); the downloader's
      // own lock covers other processes, and it reuses a verified file without fetching
      Object lock =
          BLOB_LOCKS.computeIfAbsent(destination.toAbsolutePath().toString(), k -> new Object());
      try {
        DownloadResult r;
        synchronized (lock) {
          cancellation.check();
          DownloadRequest dr = source.blobDownload(request, layer);
          r = downloader.download(dr, destination, listener, cancellation, blob);
        }
        blob.complete(r.file(), r.size());
        return r;
      } catch (ComputeImageException e) {
        blob.fail(e);
        throw e;
      } catch (RuntimeException | Error e) {
        blob.fail(new LocalStorageException("download of " + layer.digest() + " failed: " + e, e));
        throw e;
      }
    }

    void unpack(Future<DownloadResult> download) throws ComputeImageException {
      LayerDescriptor layer = m.layers().get(index);
      Digest expected = m.config().diffIds().get(index);
      Path target = ContainerLayout.layerDir(dir, index);
      Path tmp = dir.resolve(TMP_PREFIX + String.format("%02d-", index) + UUID.randomUUID());
      boolean moved = false;
      try {
        createDirectory(tmp);
        ProgressListener progress =
            new LayerUnpackProgress(
                listener, "unpack layer " + index + " (" + short12(layer.digest()) + ")", layer.size());
        LayerUnpackResult result;
        ComputeImageException streamFailure = null;
        try {
          result = store.unpack(blob, layer.compression(), tmp, lowers, progress, cancellation);
        } catch (ComputeImageException e) {
          result = null;
          streamFailure = e;
        }
        // nothing counts before the blob is verified; a download failure is the real cause
        DownloadResult downloaded = await(download, ir);
        if (streamFailure != null && !blob.diverged()) {
          throw streamFailure;
        }
        if (blob.diverged()) {
          listener.note("layer " + index + " (" + short12(layer.digest()) + "): the download started"
              + " again while unpacking; unpacking the downloaded blob");
          FileTrees.deleteRecursively(tmp);
          createDirectory(tmp);
          result = store.unpack(downloaded.file(), layer.compression(), tmp, lowers.await(),
              progress, cancellation);
        }
        if (!result.diffId().equals(expected)) {
          throw new DigestMismatchException(
              "layer " + index + " (" + layer.digest() + ") of " + ir
                  + " (diffID vs config rootfs.diff_ids)",
              expected,
              result.diffId());
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new LocalStorageException("cannot move " + tmp + " to " + target + ": " + Describe.cause(e), e);
        }
        moved = true;
      } finally {
        blob.close();
        if (!moved) {
          FileTrees.deleteRecursively(tmp);
        }
      }
    }

    private static void createDirectory(Path tmp) throws LocalStorageException {
      try {
        Files.createDirectory(tmp);
      } catch (IOException e) {
        throw new LocalStorageException("cannot create " + tmp + ": " + Describe.cause(e), e);
      }
    }
  }

  private static DownloadResult await(Future<DownloadResult> f, ImageReference ir)
      throws ComputeImageException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("pull of " + ir + " interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ComputeImageException ce) {
        throw ce;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("layer download of " + ir + " failed", c);
    }
  }

  private static Map<String, String> attributes(ImageManifest m, ContainerLayout layout) {
    Map<String, String> a = new HashMap<>();
    a.put("manifestDigest", m.manifestDigest().toString());
    a.put("resolvedDigest", m.resolvedDigest().toString());
    a.put("configDigest", m.configDigest().toString());
    a.put("mediaType", m.manifestMediaType());
    a.put("layers", Integer.toString(m.layers().size()));
    a.put("compressedSize", Long.toString(m.totalLayerBytes()));
    a.put("root", layout.root().toAbsolutePath().toString());
    for (int i = 0; i < m.layers().size(); i++) {
      LayerDescriptor l = m.layers().get(i);
      String k = ContainerImages.layerKey(i);
      a.put(k + "digest", l.digest().toString());
      a.put(k + "size", Long.toString(l.size()));
      a.put(k + "diffId", m.config().diffIds().get(i).toString());
      a.put(k + "mediaType", l.mediaType());
    }
    putList(a, "env", m.config().env());
    putList(a, "entrypoint", m.config().entrypoint());
    putList(a, "cmd", m.config().cmd());
    a.put("workingDir", m.config().workingDir());
    a.put("user", m.config().user());
    a.put("created", m.config().created());
    return a;
  }

  private static void putList(Map<String, String> a, String name, List<String> values) {
    a.put(name + ".count", Integer.toString(values.size()));
    for (int i = 0; i < values.size(); i++) {
      a.put(name + "." + i, values.get(i));
    }
  }

  private static void writeAtomically(Path dir, String name, byte[] bytes)
      throws LocalStorageException {
    Path target = dir.resolve(name);
    try {
      Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
      try {
        Files.write(tmp, bytes);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new LocalStorageException("cannot write " + target + ": " + Describe.cause(e), e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  private static String short12(Digest d) {
    return d.hex().substring(0, 12);
  }

  /**
   * Makes an image directory accessible to its owner only (0700), as containerd does for its
   * snapshots: layers hold the image's setuid binaries and device nodes, which other local users
   * must not reach through the layer directories. The merged overlay mount is unaffected (overlayfs
   * reaches its layers with the mounter's credentials, and the upper directory keeps its own mode).
   */
  private static void restrictToOwner(Path dir) throws IOException {
    java.nio.file.attribute.PosixFileAttributeView v =
        Files.getFileAttributeView(
            dir, java.nio.file.attribute.PosixFileAttributeView.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
    if (v != null) {
      v.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }
}
