package io.carbon.computeimage.application;

import io.carbon.computeimage.application.container.ContainerOperations;
import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.domain.container.ContainerImages;
import io.carbon.computeimage.domain.container.ContainerPaths;
import io.carbon.computeimage.domain.container.ContainerPuller;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.image.Describe;
import io.carbon.computeimage.domain.image.DirectoryLock;
import io.carbon.computeimage.domain.image.FileTrees;
import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.RootGuard;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.domain.vm.VmImages;
import io.carbon.computeimage.domain.vm.VmLayout;
import io.carbon.computeimage.domain.vm.VmPaths;
import io.carbon.computeimage.domain.vm.VmPullServices;
import io.carbon.computeimage.domain.vm.VmPuller;
import io.carbon.computeimage.domain.vm.VmRef;
import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.Durability;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The compute-image library: pull, inspect, list and remove images under a root directory.
 *
 * <pre>{@code
 * ComputeImage images = ComputeImage.builder()
 *     .rootDir(Path.of("/var/lib/carbon"))
 *     .progressListener(myListener)
 *     .build();
 * PulledImage img = images.pull(VmRef.of("ubuntu:24.04", "amd64"));
 * Path disk = ComputeImage.vmPathsFromImage(img).disk();
 * }</pre>
 *
 * <p>Adapters (distro catalogs, transfer, converters, kernel extractors) are plugins found with
 * {@link java.util.ServiceLoader}; see {@link PluginRegistry}. Thread-safe: one instance can serve
 * concurrent pulls; pulls of the same image (also from other processes) are serialized and the
 * download is done once.
 *
 * @since 0.1
 */
public final class ComputeImage {
  private final Path rootDir;
  private final ProgressListener listener;
  private final TransferSettings transferSettings;
  private final Cancellation cancellation;
  private final PluginRegistry plugins;
  private final ImageRecordStore records = new ImageRecordStore();
  private final VmPuller vmPuller;
  private final Services services = new Services();
  private final ContainerOperations containers;

  private ComputeImage(Builder b, PluginRegistry plugins) {
    this.rootDir = b.rootDir != null ? b.rootDir : HostDetector.defaultRootDir();
    this.listener = b.listener;
    this.transferSettings = b.transferSettings;
    this.cancellation = b.cancellation;
    this.plugins = plugins;
    this.vmPuller = new VmPuller(plugins.catalogs(), services, records, b.clock);
    this.containers =
        new ContainerOperations(
            plugins.host(),
            services::http,
            services::downloader,
            plugins.imageSource(),
            plugins.layerStore(),
            b.environment != null ? b.environment : System.getenv(),
            records,
            b.clock,
            ContainerPuller.DEFAULT_PARALLEL_DOWNLOADS);
  }

  /** @return a builder with the defaults (platform root, no progress, default HTTP settings) */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the root directory used when a reference names none */
  public Path rootDir() {
    return rootDir;
  }

  /** @return the host this instance works for */
  public HostInfo host() {
    return plugins.host();
  }

  /** @return the loaded plugins */
  public PluginRegistry plugins() {
    return plugins;
  }

  /** @return the distro catalogs, sorted by name */
  public List<DistroCatalog> distros() {
    return plugins.catalogs().all().stream()
        .sorted((a, b) -> a.name().compareTo(b.name()))
        .toList();
  }

  /** @return the catalogs index (for callers that list distros and versions) */
  public DistroCatalogs catalogs() {
    return plugins.catalogs();
  }

  private VmLayout layout(VmRef ref) {
    return new VmLayout(ref.dir().orElse(rootDir), host().os());
  }

  /**
   * Pulls a VM image: resolves it on the mirror, downloads and verifies it into the cache, converts
   * it to {@code disk.img} (raw, sparse) or {@code disk.vhd} (fixed VHD, Windows), extracts the
   * kernel when asked, and records the image as ready.
   *
   * @param ref the reference
   * @return the pulled image
   * @throws ComputeImageException see {@link io.carbon.computeimage.ports.error.ErrorKind}: unknown
   *     distro/version/arch ({@code NOT_FOUND}), network, checksum mismatch, malformed image, local
   *     I/O, cancellation
   */
  public PulledImage pull(VmRef ref) throws ComputeImageException {
    return vmPuller.pull(ref, layout(ref), listener, cancellation);
  }

  /**
   * Returns the paths of a pulled VM image.
   *
   * @param image a VM image from {@link #pull(VmRef)} or {@link #findVm(VmRef)}
   * @return its paths
   * @throws IllegalArgumentException when the image is not a VM image
   */
  public static VmPaths vmPathsFromImage(PulledImage image) {
    return VmImages.paths(image);
  }

  /**
   * Computes the paths a VM image has or would have, without any I/O.
   *
   * @param ref the reference
   * @return the paths
   * @throws ComputeImageException {@code NotFoundException} for an unknown distro or version
   */
  public VmPaths resolveVmPaths(VmRef ref) throws ComputeImageException {
    return vmPuller.resolvePaths(ref, layout(ref));
  }

  /**
   * Finds a VM image that was pulled completely.
   *
   * @param ref the reference
   * @return the image, or empty when it is not pulled (or its pull did not complete)
   * @throws ComputeImageException for an unknown distro or version, or an unreadable record
   */
  public Optional<PulledImage> findVm(VmRef ref) throws ComputeImageException {
    VmPaths paths = resolveVmPaths(ref);
    return records.read(paths.dir()).map(r -> new PulledImage(paths.dir(), r));
  }

  /**
   * Deletes a VM image's directory (disk, kernel files, record). The cache is kept.
   *
   * @param ref the reference
   * @return true when something was deleted
   * @throws ComputeImageException for an unknown distro or version, or when deleting fails
   */
  public boolean remove(VmRef ref) throws ComputeImageException {
    VmPaths paths = resolveVmPaths(ref);
    if (!Files.exists(paths.dir())) {
      return false;
    }
    removeImageDir(paths.dir(), ref.dir().orElse(rootDir), false);
    return true;
  }

  /**
   * Pulls a container image: resolves the reference for the ref's platform (the host's by
   * default), downloads the layer blobs in parallel into the shared cache, unpacks each layer into
   * {@code layers/NN} after checking its digest and diffID, prepares {@code upper/} and {@code
   * work/}, and records the image as ready.
   *
   * @param ref the reference
   * @return the pulled image
   * @throws ComputeImageException see {@link io.carbon.computeimage.ports.error.ErrorKind}
   */
  public PulledImage pull(ContainerRef ref) throws ComputeImageException {
    return containers.pull(ref, rootDir, listener, cancellation);
  }

  /**
   * Returns the paths of a pulled container image.
   *
   * @param image a container image from {@link #pull(ContainerRef)} or {@link
   *     #findContainer(ContainerRef)}
   * @return its paths
   * @throws IllegalArgumentException when the image is not a container image
   */
  public static ContainerPaths containerPathsFromImage(PulledImage image) {
    return ContainerImages.paths(image);
  }

  /**
   * Computes the paths a container image has or would have, without pulling (reads its record
   * when present, for the layer count).
   *
   * @param ref the reference
   * @return the paths
   * @throws ComputeImageException for an invalid reference or an unreadable record
   */
  public ContainerPaths resolveContainerPaths(ContainerRef ref) throws ComputeImageException {
    return containers.resolvePaths(ref, rootDir);
  }

  /**
   * Finds a container image that was pulled completely.
   *
   * @param ref the reference
   * @return the image, or empty when not pulled (or its pull did not complete)
   * @throws ComputeImageException for an invalid reference or an unreadable record
   */
  public Optional<PulledImage> findContainer(ContainerRef ref) throws ComputeImageException {
    return containers.find(ref, rootDir);
  }

  /**
   * Deletes a container image's directory (layers, upper, work, record). The cache is kept.
   *
   * @param ref the reference
   * @return true when something was deleted
   * @throws ComputeImageException for an invalid reference, or when deleting fails
   */
  public boolean remove(ContainerRef ref) throws ComputeImageException {
    Path dir = containers.resolvePaths(ref, rootDir).dir();
    if (!Files.exists(dir)) {
      return false;
    }
    removeImageDir(dir, ref.dir().orElse(rootDir), true);
    return true;
  }

  /**
   * Deletes every image under the root matching {@code image}: VM images of that distro and
   * (canonical) version, on any registry, for {@code arch} or every architecture; images of any
   * kind whose recorded reference is exactly {@code image}; and, when {@code image} is a container
   * reference, the container image (ready or incomplete) stored in the directory it resolves to
   * (so {@code name@sha256:...} removes what {@code name:tag@sha256:...} pulled, as {@code info}
   * finds it). The cache is kept.
   *
   * @param image {@code name:version}, a container reference, or a reference as recorded
   * @param arch the architecture to remove, or empty for all
   * @param root the root directory
   * @return the directories deleted (empty when nothing matched)
   * @throws ComputeImageException when listing or deleting fails
   */
  public List<Path> removeMatching(String image, Optional<Arch> arch, Path root)
      throws ComputeImageException {
    String vmRef = canonicalVmReference(image);
    Optional<Path> containerDir = containers.imageDir(image, root).map(ComputeImage::normalized);
    List<Path> removed = new ArrayList<>();
    for (StoredImage s : list(root)) {
      boolean refMatches =
          s.reference().equals(image)
              || (ImageRecord.KIND_VM.equals(s.kind()) && s.reference().equals(vmRef))
              || (!ImageRecord.KIND_VM.equals(s.kind())
                  && containerDir.isPresent()
                  && normalized(s.dir()).equals(containerDir.get()));
      boolean archMatches = arch.isEmpty() || arch.get().ociName().equals(s.platform());
      if (refMatches && archMatches) {
        removeImageDir(s.dir(), root, !ImageRecord.KIND_VM.equals(s.kind()));
        removed.add(s.dir());
      }
    }
    return removed;
  }

  private static Path normalized(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private String canonicalVmReference(String image) {
    int colon = image.indexOf(':');
    if (colon <= 0) {
      return image;
    }
    String name = image.substring(0, colon).toLowerCase(Locale.ROOT);
    Optional<DistroCatalog> c = plugins.catalogs().find(name);
    if (c.isEmpty()) {
      return image;
    }
    try {
      return c.get().name() + ":" + c.get().canonicalVersion(image.substring(colon + 1));
    } catch (NotFoundException e) {
      return image;
    }
  }

  /**
   * Deletes an image directory unless a pull holds its lock, then its parents that became empty.
   * A container image goes through the layer store, which also refuses while an overlay uses it.
   */
  private void removeImageDir(Path dir, Path root, boolean container) throws ComputeImageException {
    DirectoryLock lock = lockForRemoval(dir);
    // POSIX lets a held lock file be deleted, so the lock is held until the directory is gone (a
    // pull that starts meanwhile waits, then sees its lock file replaced and starts afresh);
    // Windows cannot remove a directory while the lock file in it is open
    boolean holdWhileDeleting = !java.io.File.separator.equals("\\");
    try {
      if (!holdWhileDeleting) {
        lock.close();
      }
      // the lock file goes last: a pull arriving meanwhile finds it held and waits
      Path lockFile = holdWhileDeleting ? dir.resolve(DirectoryLock.FILE_NAME) : null;
      if (container) {
        containers.removeDirectory(dir, lockFile);
      } else {
        FileTrees.requireNoMountPoint(dir); // before anything is deleted
        records.delete(dir); // first: a half-deleted directory must not look ready
        if (lockFile != null) {
          FileTrees.deleteContentExcept(dir, lockFile);
        }
        FileTrees.deleteRecursively(dir);
      }
    } finally {
      if (holdWhileDeleting) {
        lock.close();
      }
    }
    // prune now-empty parents up to (not including) the root
    Path p = dir.getParent();
    Path r = root.toAbsolutePath().normalize();
    while (p != null && !p.toAbsolutePath().normalize().equals(r) && p.toAbsolutePath().normalize().startsWith(r)) {
      if (!isEmptyDir(p)) {
        break;
      }
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        break;
      }
      p = p.getParent();
    }
  }

  /**
   * The pull lock files under a root: in image directories, which lie a few levels down ({@code
   * <registry>/<name>/<version>/<arch>}, deeper for container repositories with slashes); the
   * cache and the content of images (layers, upper, work) are not searched.
   */
  private static List<Path> pullLocks(Path root) throws LocalStorageException {
    List<Path> out = new ArrayList<>();
    try {
      Files.walkFileTree(root, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), 12,
          new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
              String name = d.getFileName() == null ? "" : d.getFileName().toString();
              boolean skip = d.equals(root.resolve(VmLayout.CACHE_DIR))
                  || (!d.equals(root) && Files.isRegularFile(d.getParent().resolve(DirectoryLock.FILE_NAME))
                      && (name.equals("layers") || name.equals("upper") || name.equals("work")));
              return skip ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, BasicFileAttributes a) {
              if (f.getFileName().toString().equals(DirectoryLock.FILE_NAME) && a.isRegularFile()) {
                out.add(f);
              }
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
              return java.nio.file.FileVisitResult.CONTINUE; // unreadable: the deletion will say so
            }
          });
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + root + ": " + Describe.cause(e), e);
    }
    return out;
  }

  /** The pull lock of an image directory, taken without waiting: a pull in progress refuses. */
  private static DirectoryLock lockForRemoval(Path dir) throws ComputeImageException {
    Optional<DirectoryLock> lock = DirectoryLock.tryAcquire(dir.resolve(DirectoryLock.FILE_NAME));
    if (lock.isEmpty()) {
      throw new LocalStorageException(
          "refusing to remove "
              + dir
              + ": an image-cli process is pulling this image now (wait for it to finish, or stop"
              + " it); nothing was deleted");
    }
    return lock.get();
  }

  private static boolean isEmptyDir(Path p) {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
      return !ds.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes this instance's whole root directory: all images and the cache.
   *
   * @throws ComputeImageException when deleting fails
   */
  public void removeAll() throws ComputeImageException {
    removeAll(rootDir);
  }

  /**
   * Deletes a whole root directory: all images and the cache. Only a directory carrying the root
   * marker written by every pull ({@value RootGuard#MARKER}) is deleted; a missing path or an empty
   * directory is left alone. The file-system root, the home directory and its ancestors are always
   * refused. Symbolic links are deleted, never followed, and other mounted file systems are never
   * entered.
   *
   * @param root the root directory
   * @return true when something was deleted, false when the path was missing or empty
   * @throws ComputeImageException {@code InvalidReferenceException} when the path is not a
   *     compute-image root (a file, an unmarked directory, the home or file-system root); {@code
   *     LocalStorageException} when deleting fails (a mount point inside the root, or an overlay
   *     mounted anywhere over a container image's directories, is found before anything is
   *     deleted)
   */
  public boolean removeAll(Path root) throws ComputeImageException {
    String home = System.getProperty("user.home", "");
    List<DirectoryLock> held = new ArrayList<>();
    try {
      return RootGuard.removeRoot(
          root,
          home.isBlank() ? Optional.empty() : Optional.of(Path.of(home)),
          r -> {
            // an overlay mounted over a container image's layers would lose them
            for (StoredImage image : records.list(r, VmLayout.CACHE_DIR)) {
              if (image.kind().equals(ImageRecord.KIND_CONTAINER)) {
                containers.requireNotInUse(image.dir());
              }
            }
            // a pull in progress would fail half-way: refused, and none starts until the end
            for (Path lockFile : pullLocks(r)) {
              held.add(lockForRemoval(lockFile.getParent()));
            }
            if (java.io.File.separator.equals("\\")) {
              held.forEach(DirectoryLock::close); // Windows cannot delete open lock files
              held.clear();
            }
          });
    } finally {
      held.forEach(DirectoryLock::close);
    }
  }

  /**
   * Lists the images under this instance's root (not the cache).
   *
   * @return ready and incomplete images, sorted by directory
   * @throws ComputeImageException when the tree cannot be read
   */
  public List<StoredImage> list() throws ComputeImageException {
    return list(rootDir);
  }

  /**
   * Lists the images under a root (not the cache). {@link StoredImage#sizeBytes()} is the space
   * an image takes: a VM's sparse disk counts with its allocated bytes, not its virtual size.
   *
   * @param root the root directory
   * @return ready and incomplete images, sorted by directory (none when the root does not exist)
   * @throws ComputeImageException {@code InvalidReferenceException} when the root is not a
   *     directory; {@code LocalStorageException} when the tree cannot be read
   */
  public List<StoredImage> list(Path root) throws ComputeImageException {
    RootGuard.requireDirectoryOrAbsent(root);
    return records.list(root, VmLayout.CACHE_DIR).stream().map(VmImages::withAllocatedSize).toList();
  }

  /**
   * Converts a disk image file (format detected from the content) to raw or fixed VHD.
   *
   * @param source the input image
   * @param destination the output file, replaced atomically when complete
   * @param target {@code RAW} or {@code VHD_FIXED}
   * @return the result
   * @throws ComputeImageException when no converter handles it, the input is malformed or I/O fails
   */
  public ConversionResult convert(Path source, Path destination, DiskFormat target)
      throws ComputeImageException {
    return convert(source, destination, target, Durability.FLUSHED);
  }

  /**
   * Converts a disk image file (format detected from the content) to raw or fixed VHD.
   *
   * @param source the input image
   * @param destination the output file, replaced atomically when complete
   * @param target {@code RAW} or {@code VHD_FIXED}
   * @param durability {@code FLUSHED} (the default) flushes the output to stable storage before
   *     renaming it into place; {@code PAGE_CACHE} skips that, as {@code qemu-img convert} does
   * @return the result
   * @throws ComputeImageException when no converter handles it, the input is malformed or I/O fails
   */
  public ConversionResult convert(
      Path source, Path destination, DiskFormat target, Durability durability)
      throws ComputeImageException {
    Path output = checkConvertPaths(source, destination);
    DiskFormat from = null;
    for (DiskFormat f : DiskFormat.values()) {
      Optional<DiskConverter> c = plugins.diskConverter(f, target);
      if (c.isPresent()) {
        from = c.get().detect(source);
        break;
      }
    }
    if (from == null) {
      throw new UnsupportedFeatureException(
          "cannot convert " + source + " to " + target + ": no disk converter plugin writes " + target);
    }
    DiskFormat detected = from;
    DiskConverter converter =
        plugins
            .diskConverter(detected, target)
            .orElseThrow(
                () ->
                    new UnsupportedFeatureException(
                        "cannot convert "
                            + source
                            + ": no disk converter reads "
                            + detected
                            + " and writes "
                            + target));
    return converter.convert(source, output, target, durability, listener, cancellation);
  }

  /**
   * Checks the paths of a conversion before any work: the input is an existing regular file (or a
   * link to one), the output is neither a directory, a device, a fifo or a socket (which a rename
   * would replace) nor the input itself (also through a link), and the output's directory exists
   * and is writable. An output that is a symbolic link to a regular file is written where the link
   * points (the link stays); a dangling link is refused.
   *
   * @return the file to write: {@code destination}, or the file its symbolic link points to
   */
  private static Path checkConvertPaths(Path source, Path destination) throws ComputeImageException {
    BasicFileAttributes in;
    try {
      in = Files.readAttributes(source, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("cannot convert " + source + ": no such file", e);
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + source + ": " + Describe.cause(e), e);
    }
    if (in.isDirectory()) {
      throw new InvalidReferenceException("cannot convert: input " + source + " is a directory");
    }
    if (!in.isRegularFile()) {
      throw new InvalidReferenceException(
          "cannot convert " + source + ": the input is " + kind(source) + ", not a disk image file");
    }
    Path output = destination;
    BasicFileAttributes out = null;
    try {
      out = Files.readAttributes(destination, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      // a new file
    } catch (IOException e) {
      throw new LocalStorageException("cannot write " + destination + ": " + Describe.cause(e), e);
    }
    if (out != null && out.isSymbolicLink()) {
      try {
        output = destination.toRealPath();
        out = Files.readAttributes(output, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        throw new InvalidReferenceException(
            "cannot convert to " + destination + ": it is a symbolic link to a missing file"
                + " (give the file to write)", e);
      } catch (java.nio.file.FileSystemException e) {
        if (e.getReason() != null && e.getReason().contains("symbolic links")) {
          throw new InvalidReferenceException(
              "cannot convert to " + destination + ": it is a symbolic link that leads back to itself"
                  + " (too many levels of symbolic links)", e);
        }
        throw new LocalStorageException("cannot write " + destination + ": " + Describe.cause(e), e);
      } catch (IOException e) {
        throw new LocalStorageException("cannot write " + destination + ": " + Describe.cause(e), e);
      }
    }
    if (out != null && out.isDirectory()) {
      throw new InvalidReferenceException("cannot convert to " + destination + ": output is a directory");
    }
    if (out != null && !out.isRegularFile()) {
      throw new InvalidReferenceException(
          "cannot convert to " + destination + ": the output is " + kind(output)
              + "; refusing to replace it (give a file name)");
    }
    if (out != null) {
      boolean same;
      try {
        same = Files.isSameFile(source, output);
      } catch (IOException e) {
        same = false;
      }
      if (same) {
        throw new InvalidReferenceException(
            "cannot convert "
                + source
                + ": output "
                + destination
                + " is the same file as the input (it would be destroyed)");
      }
    }
    checkWritableParent(output);
    return output;
  }

  /** {@code a character device}, {@code a fifo}, ... for a file that is neither a regular file nor a directory. */
  private static String kind(Path p) {
    try {
      int type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000; // what a link leads to
      switch (type) {
        case 0020000:
          return "a character device";
        case 0060000:
          return "a block device";
        case 0010000:
          return "a fifo";
        case 0140000:
          return "a socket";
        default:
          break;
      }
    } catch (IOException | RuntimeException e) {
      // no unix view (Windows) or gone: the generic words below
    }
    return "not a regular file";
  }

  private static void checkWritableParent(Path destination) throws ComputeImageException {
    Path parent = destination.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new LocalStorageException(
          "cannot write " + destination + ": directory " + parent + " does not exist");
    }
    if (parent != null) {
      try {
        // a random name without Files.createTempFile, whose SecureRandom costs ~15 ms at start-up
        Path probe =
            parent.resolve(
                ".compute-image-probe-"
                    + Long.toHexString(
                        java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                    + ".tmp");
        Files.createFile(probe);
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        throw new LocalStorageException(
            "cannot write "
                + destination
                + ": parent directory "
                + parent
                + " is not writable ("
                + Describe.cause(e)
                + ")",
            e);
      }
    }
  }

  /** Creates adapters on first use, once. */
  private final class Services implements VmPullServices {
    private volatile HttpTransport http;
    private volatile Downloader downloader;

    private TransferProvider transfer() throws UnsupportedFeatureException {
      return plugins
          .transferProvider()
          .orElseThrow(
              () ->
                  new UnsupportedFeatureException(
                      "no transfer plugin (HTTP/download) is registered; is adapters-transfer on the"
                          + " class path?"));
    }

    @Override
    public HttpTransport http() throws ComputeImageException {
      HttpTransport h = http;
      if (h == null) {
        synchronized (this) {
          if (http == null) {
            http = transfer().httpTransport(transferSettings, listener, cancellation);
          }
          h = http;
        }
      }
      return h;
    }

    @Override
    public Downloader downloader() throws ComputeImageException {
      Downloader d = downloader;
      if (d == null) {
        synchronized (this) {
          if (downloader == null) {
            downloader = transfer().downloader(transferSettings);
          }
          d = downloader;
        }
      }
      return d;
    }

    @Override
    public DiskConverter converter(DiskFormat target) throws ComputeImageException {
      return plugins
          .diskConverter(DiskFormat.QCOW2, target)
          .orElseThrow(
              () ->
                  new UnsupportedFeatureException(
                      "no disk converter plugin converts QCOW2 to " + target));
    }

    @Override
    public KernelExtractor kernelExtractor() throws ComputeImageException {
      return plugins
          .kernelExtractor()
          .orElseThrow(
              () ->
                  new UnsupportedFeatureException(
                      "--extract-kernel: no kernel extractor plugin is registered (none of the"
                          + " loaded plugins provides a KernelExtractor)"));
    }
  }

  /** Builds a {@link ComputeImage}; every option has a default. */
  public static final class Builder {
    private Path rootDir;
    private ProgressListener listener = ProgressListener.NONE;
    private TransferSettings transferSettings = TransferSettings.defaults();
    private Cancellation cancellation = Cancellation.NONE;
    private HostInfo host;
    private ClassLoader classLoader;
    private final List<Path> pluginDirs = new ArrayList<>();
    private PluginRegistry registry;
    private Clock clock = Clock.systemUTC();
    private Map<String, String> environment;

    private Builder() {}

    /**
     * @param rootDir the root directory; default {@link ComputeImages#defaultRootDir()}
     * @return this builder
     */
    public Builder rootDir(Path rootDir) {
      this.rootDir = rootDir;
      return this;
    }

    /**
     * @param listener receives download, conversion and extraction progress
     * @return this builder
     */
    public Builder progressListener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener is null");
      return this;
    }

    /**
     * @param settings timeouts, retries and user agent for HTTP
     * @return this builder
     */
    public Builder transferSettings(TransferSettings settings) {
      this.transferSettings = Objects.requireNonNull(settings, "settings is null");
      return this;
    }

    /**
     * @param cancellation polled during long operations
     * @return this builder
     */
    public Builder cancellation(Cancellation cancellation) {
      this.cancellation = Objects.requireNonNull(cancellation, "cancellation is null");
      return this;
    }

    /**
     * @param host overrides host detection (OS decides raw vs VHD and path forms)
     * @return this builder
     */
    public Builder host(HostInfo host) {
      this.host = host;
      return this;
    }

    /**
     * @param classLoader where to look for plugins; default the thread's context class loader
     * @return this builder
     */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = classLoader;
      return this;
    }

    /**
     * @param dir a directory of plugin jars (or of sub-directories of jars) to load as well
     * @return this builder
     */
    public Builder addPluginDirectory(Path dir) {
      this.pluginDirs.add(Objects.requireNonNull(dir, "dir is null"));
      return this;
    }

    /**
     * @param registry use these plugins instead of loading any (for tests and embedding)
     * @return this builder
     */
    public Builder pluginRegistry(PluginRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * @param clock the clock for image records
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock is null");
      return this;
    }

    /**
     * @param environment the environment the registry client reads credentials locations from
     *     ({@code DOCKER_CONFIG}, {@code HOME}, {@code REGISTRY_AUTH_FILE}, {@code
     *     XDG_RUNTIME_DIR}, {@code PATH}); default the process environment
     * @return this builder
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * Loads the plugins and builds.
     *
     * @return the library instance
     * @throws PluginLoadException when plugins cannot be loaded or conflict
     */
    public ComputeImage build() throws PluginLoadException {
      PluginRegistry reg = registry;
      if (reg == null) {
        ClassLoader cl = classLoader;
        if (cl == null) {
          cl = Thread.currentThread().getContextClassLoader();
        }
        if (cl == null) {
          cl = ComputeImage.class.getClassLoader();
        }
        reg = PluginRegistry.load(cl, pluginDirs, host != null ? host : HostDetector.detect());
      }
      return new ComputeImage(this, reg);
    }
  }
}
