package io.carbon.computeimage.domain.vm;

import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.domain.image.Describe;
import io.carbon.computeimage.domain.image.DirectoryLock;
import io.carbon.computeimage.domain.image.FileTrees;
import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.RootGuard;
import io.carbon.computeimage.ports.disk.BootFiles;
import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.disk.KernelOptions;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.ResolvedImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The VM pull pipeline: resolve against the mirror, download into the cache (verified, resumable,
 * reused only while it matches the mirror's current checksum), convert into the image directory,
 * extract the kernel when asked, and write the image record last.
 *
 * <p>A per-image lock (across threads and processes) serializes pulls of the same image; the
 * second pull finds the first one's record and returns without downloading. The record is removed
 * before the disk changes and written only once the disk is complete, so an interrupted pull is
 * never reported as ready; a failed kernel extraction leaves a complete disk recorded ready, listing
 * kernel files only when they were extracted. A first pull that fails (not found, checksum
 * mismatch, cancelled...) removes the image directory it created, so nothing is listed; the cache
 * keeps a partial download for the next attempt to resume. Thread-safe.
 *
 * @since 0.1
 */
public final class VmPuller {
  /** Name of the lock file inside the image directory. */
  public static final String LOCK_FILE = DirectoryLock.FILE_NAME;

  private static final List<String> KERNEL_ATTRIBUTES =
      List.of(
          VmImages.KERNEL,
          VmImages.INITRD,
          VmImages.CMDLINE,
          VmImages.COMMAND_LINE,
          VmImages.KERNEL_VERSION);

  private final DistroCatalogs catalogs;
  private final VmPullServices services;
  private final ImageRecordStore records;
  private final Clock clock;

  /**
   * Creates the pipeline.
   *
   * @param catalogs the distro catalogs
   * @param services the adapters, created on first use
   * @param records the record store
   * @param clock the clock for {@code pulledAt}
   */
  public VmPuller(
      DistroCatalogs catalogs, VmPullServices services, ImageRecordStore records, Clock clock) {
    this.catalogs = Objects.requireNonNull(catalogs, "catalogs is null");
    this.services = Objects.requireNonNull(services, "services is null");
    this.records = Objects.requireNonNull(records, "records is null");
    this.clock = Objects.requireNonNull(clock, "clock is null");
  }

  /**
   * Computes the paths of a reference without I/O.
   *
   * @param ref the reference
   * @param layout the layout of the root to use
   * @return the paths
   * @throws ComputeImageException {@code NotFoundException} for an unknown distro or version
   */
  public VmPaths resolvePaths(VmRef ref, VmLayout layout) throws ComputeImageException {
    return layout.paths(ref, catalogs.require(ref.name()));
  }

  /**
   * Pulls a VM image.
   *
   * @param ref the reference
   * @param layout the layout of the root to pull into
   * @param listener progress receiver
   * @param cancellation checked between steps and chunks
   * @return the pulled image
   * @throws ComputeImageException when the reference is unknown, the mirror or the network fails,
   *     the checksum does not match, the image is malformed, or local I/O fails
   */
  public PulledImage pull(
      VmRef ref, VmLayout layout, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    DistroCatalog catalog = catalogs.require(ref.name());
    VmPaths paths = layout.paths(ref, catalog);
    DiskFormat format = layout.diskFormat();
    // fail early, before any download, when a needed adapter is missing
    DiskConverter converter = services.converter(format);
    KernelExtractor extractor = ref.extractKernel() ? services.kernelExtractor() : null;
    cancellation.check();

    listener.note(
        "resolving "
            + ref.image()
            + " ("
            + ref.arch()
            + ") on "
            + ref.mirror().map(Object::toString).orElse(catalog.defaultRegistry()));
    ResolvedImage image =
        catalog.resolve(new DistroQuery(ref.version(), ref.arch(), ref.mirror()), services.http());
    cancellation.check();

    RootGuard.mark(layout.root());
    Optional<Path> created = createDirectories(paths.dir());
    String what = catalog.name() + ":" + image.version() + " (" + ref.arch() + ")";
    try (DirectoryLock lock = DirectoryLock.acquire(paths.dir().resolve(LOCK_FILE), listener, what, cancellation)) {
      try {
        return pullLocked(
            ref, catalog, image, paths, format, converter, extractor, what, listener, cancellation);
      } catch (ComputeImageException | RuntimeException e) {
        // a first pull that failed leaves no image entry (the cache keeps the download for resume)
        created.ifPresent(top -> records.discardFailedPull(paths.dir(), top, e));
        throw e;
      }
    }
  }

  private PulledImage pullLocked(
      VmRef ref,
      DistroCatalog catalog,
      ResolvedImage image,
      VmPaths paths,
      DiskFormat format,
      DiskConverter converter,
      KernelExtractor extractor,
      String what,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    Optional<ImageRecord> existing = records.read(paths.dir());
    if (existing.isPresent() && diskUpToDate(existing.get(), image, paths)) {
      ImageRecord r = existing.get();
      if (extractor == null || kernelPresent(r, paths)) {
        listener.note(what + " is up to date (" + image.digest() + ")");
        return new PulledImage(paths.dir(), r);
      }
    }
    Map<String, String> attrs = new HashMap<>();
    boolean reuseDisk = existing.isPresent() && diskUpToDate(existing.get(), image, paths);
    if (reuseDisk) {
      // the disk stays as it is, so its record stays true: keep it while the kernel is extracted
      attrs.putAll(existing.get().attributes());
      KERNEL_ATTRIBUTES.forEach(attrs::remove);
    } else {
      records.delete(paths.dir()); // the disk is about to change: never report it ready meanwhile
      DownloadResult download =
          services
              .downloader()
              .download(
                  new DownloadRequest(image.location().diskUri(), Map.of(), image.digest(), -1),
                  paths.cache(),
                  listener,
                  cancellation);
      if (download.reused()) {
        listener.note("using cached " + paths.cache().getFileName() + " (checksum matches the mirror)");
      }
      cancellation.check();
      String notQcow2 =
          image.location().diskUri() + " (downloaded to " + paths.cache() + "): not a qcow2 image";
      DiskFormat detected;
      try {
        detected = converter.detect(paths.cache());
      } catch (UnsupportedFeatureException e) {
        throw new MalformedImageException(notQcow2 + " (" + e.getMessage() + ")", e);
      }
      if (detected != DiskFormat.QCOW2) {
        throw new MalformedImageException(
            notQcow2 + " (content looks like " + detected + "); distro cloud images are qcow2");
      }
      ConversionResult converted =
          converter.convert(paths.cache(), paths.disk(), format, listener, cancellation);
      listener.note(
          "wrote "
              + paths.disk()
              + " ("
              + HumanBytes.format(converted.virtualSize())
              + " virtual, "
              + HumanBytes.format(converted.dataBytes())
              + " data)");
      attrs.put(VmImages.VIRTUAL_SIZE, Long.toString(converted.virtualSize()));
      attrs.put(VmImages.DATA_BYTES, Long.toString(converted.dataBytes()));
    }
    attrs.put(VmImages.DISTRO, catalog.name());
    attrs.put(VmImages.VERSION, image.version());
    attrs.put(VmImages.BUILD, image.build());
    attrs.put(VmImages.SOURCE_URL, image.location().diskUri().toString());
    attrs.put(VmImages.CHECKSUM_URL, image.location().checksumUri().toString());
    attrs.put(VmImages.SOURCE_DIGEST, image.digest().toString());
    attrs.put(VmImages.DISK_FILE, paths.disk().getFileName().toString());
    attrs.put(VmImages.DISK_FORMAT, format.name());
    attrs.put(VmImages.CACHE, paths.cache().toAbsolutePath().toString());

    if (extractor != null) {
      BootFiles boot;
      try {
        cancellation.check();
        Path input = format == DiskFormat.RAW ? paths.disk() : paths.cache();
        boot = extractor.extract(input, paths.dir(), KernelOptions.defaults(), listener, cancellation);
      } catch (ComputeImageException e) {
        // the disk is complete: record it ready (without kernel files) and report the failure
        try {
          records.write(paths.dir(), record(ref, catalog, image, paths, attrs));
        } catch (ComputeImageException writeFailure) {
          e.addSuppressed(writeFailure);
        }
        throw e;
      }
      attrs.put(VmImages.KERNEL, boot.kernel().getFileName().toString());
      attrs.put(VmImages.INITRD, boot.initrd().getFileName().toString());
      attrs.put(VmImages.CMDLINE, boot.cmdline().getFileName().toString());
      attrs.put(VmImages.COMMAND_LINE, boot.commandLine());
      attrs.put(VmImages.KERNEL_VERSION, boot.kernelVersion());
    }

    cancellation.check();
    ImageRecord record = record(ref, catalog, image, paths, attrs);
    records.write(paths.dir(), record);
    return new PulledImage(paths.dir(), record);
  }

  private ImageRecord record(
      VmRef ref, DistroCatalog catalog, ResolvedImage image, VmPaths paths, Map<String, String> attrs) {
    return new ImageRecord(
        ImageRecord.KIND_VM,
        catalog.name() + ":" + image.version(),
        ref.arch().ociName(),
        paths.dir().getParent().getParent().getParent().getFileName().toString(),
        clock.instant(),
        attrs);
  }

  private static boolean diskUpToDate(ImageRecord r, ResolvedImage image, VmPaths paths) {
    return r.attribute(VmImages.SOURCE_DIGEST).orElse("").equals(image.digest().toString())
        && Files.isRegularFile(paths.disk());
  }

  private static boolean kernelPresent(ImageRecord r, VmPaths paths) {
    return r.attribute(VmImages.KERNEL).isPresent()
        && Files.isRegularFile(paths.dir().resolve(r.attribute(VmImages.KERNEL).get()))
        && Files.isRegularFile(paths.dir().resolve(r.attribute(VmImages.INITRD).orElse(VmPaths.INITRD)));
  }

  private static Optional<Path> createDirectories(Path dir) throws LocalStorageException {
    try {
      return FileTrees.createDirectories(dir);
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot create image directory " + dir + ": " + Describe.cause(e), e);
    }
  }
}
