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
import io.carbon.computeimage.ports.transfer.DownloadRequest;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The container pull pipeline: resolve the reference for a platform, download the layer blobs in
 * parallel (a bounded number at once) into the shared content-addressed cache, unpack each layer in
 * order through the {@link LayerStore} into a temporary directory that is renamed to {@code
 * layers/NN} only after its diffID matched the config, prepare {@code upper/} and {@code work/},
 * and write the image record last.
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
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot create image directory " + dir + ": " + Describe.cause(e), e);
    }
    try (DirectoryLock lock =
        DirectoryLock.acquire(dir.resolve(ContainerLayout.LOCK), listener, ir.toString())) {
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
        "pulled " + ir + " (" + m.manifestDigest() + ", " + m.layers().size() + " layers)");
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
    AtomicReference<ComputeImageException> firstError = new AtomicReference<>();
    Cancellation inner = () -> firstError.get() != null || cancellation.isCancelled();
    AtomicInteger threadNo = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(parallelDownloads, n)),
            r -> {
              Thread t = new Thread(r, "layer-download-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Path>> blobs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        LayerDescriptor layer = layers.get(i);
        if (Files.isDirectory(ContainerLayout.layerDir(dir, i))) {
          blobs.add(CompletableFuture.completedFuture(null));
          continue;
        }
        int index = i;
        blobs.add(
            pool.submit(
                () -> {
                  try {
                    return download(ir, request, layer, index, layout, source, downloader, listener, inner);
                  } catch (ComputeImageException e) {
                    firstError.compareAndSet(null, e);
                    throw e;
                  }
                }));
      }
      for (int i = 0; i < n; i++) {
        cancellation.check();
        Path target = ContainerLayout.layerDir(dir, i);
        if (Files.isDirectory(target)) {
          listener.note("layer " + i + " (" + short12(layers.get(i).digest()) + ") already unpacked");
          continue;
        }
        Path blob = await(blobs.get(i), firstError, ir);
        unpack(ir, m, i, blob, dir, store, listener, inner);
      }
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Path download(
      ImageReference ir,
      ImageRequest request,
      LayerDescriptor layer,
      int index,
      ContainerLayout layout,
      ImageSource source,
      Downloader downloader,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    Path destination = layout.cachedBlob(layer.digest(), layer.compression());
    // one download per blob in this JVM (a manifest may list a blob twice); the downloader's own
    // lock covers other processes, and it reuses a verified file without fetching
    Object lock = BLOB_LOCKS.computeIfAbsent(destination.toAbsolutePath().toString(), k -> new Object());
    synchronized (lock) {
      cancellation.check();
      DownloadRequest dr = source.blobDownload(request, layer);
      downloader.download(dr, destination, listener, cancellation);
      return destination;
    }
  }

  private static Path await(Future<Path> f, AtomicReference<ComputeImageException> firstError, ImageReference ir)
      throws ComputeImageException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("pull of " + ir + " interrupted", e);
    } catch (ExecutionException e) {
      ComputeImageException first = firstError.get();
      if (first != null) {
        throw first;
      }
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

  private static void unpack(
      ImageReference ir,
      ImageManifest m,
      int i,
      Path blob,
      Path dir,
      LayerStore store,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    LayerDescriptor layer = m.layers().get(i);
    Digest expected = m.config().diffIds().get(i);
    Path target = ContainerLayout.layerDir(dir, i);
    Path tmp = dir.resolve(TMP_PREFIX + String.format("%02d-", i) + UUID.randomUUID());
    List<Path> lowers = new ArrayList<>();
    for (int j = 0; j < i; j++) {
      lowers.add(ContainerLayout.layerDir(dir, j));
    }
    try {
      Files.createDirectory(tmp);
    } catch (IOException e) {
      throw new LocalStorageException("cannot create " + tmp + ": " + Describe.cause(e), e);
    }
    boolean done = false;
    try {
      LayerUnpackResult result =
          store.unpack(blob, layer.compression(), tmp, lowers, listener, cancellation);
      if (!result.diffId().equals(expected)) {
        throw new DigestMismatchException(
            "layer " + i + " (" + layer.digest() + ") of " + ir + " (diffID vs config rootfs.diff_ids)",
            expected,
            result.diffId());
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new LocalStorageException("cannot move " + tmp + " to " + target + ": " + Describe.cause(e), e);
      }
      done = true;
    } finally {
      if (!done) {
        FileTrees.deleteRecursively(tmp);
      }
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
}
