package io.carbon.computeimage.application.container;

import io.carbon.computeimage.domain.container.ContainerLayout;
import io.carbon.computeimage.domain.container.ContainerPaths;
import io.carbon.computeimage.domain.container.ContainerPullServices;
import io.carbon.computeimage.domain.container.ContainerPuller;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.container.ImageReference;
import io.carbon.computeimage.domain.image.FileTrees;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.image.ImageSource;
import io.carbon.computeimage.ports.image.ImageSourceContext;
import io.carbon.computeimage.ports.image.ImageSourceProvider;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Pulls, finds, resolves and removes container images; the facade delegates here. Adapters are
 * created on first use; one {@link ImageSource} per instance keeps registry tokens across pulls.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class ContainerOperations {
  /** Supplies an adapter that may be missing. */
  @FunctionalInterface
  public interface Supplier<T> {
    /**
     * @return the adapter
     * @throws ComputeImageException when no plugin provides it
     */
    T get() throws ComputeImageException;
  }

  private final HostInfo host;
  private final Supplier<HttpTransport> http;
  private final Supplier<Downloader> downloader;
  private final Optional<ImageSourceProvider> sourceProvider;
  private final Optional<LayerStore> layerStore;
  private final Map<String, String> environment;
  private final ImageRecordStore records;
  private final ContainerPuller puller;
  private volatile ImageSource source;

  /**
   * Creates the operations.
   *
   * @param host the host
   * @param http the HTTP transport (from the transfer plugin)
   * @param downloader the downloader (from the transfer plugin)
   * @param sourceProvider the registry client plugin, if any
   * @param layerStore the layer store supported on this host, if any
   * @param environment the environment the registry client may read (credentials files)
   * @param records the record store
   * @param clock the clock for records
   * @param parallelDownloads layer blobs downloaded at once
   */
  public ContainerOperations(
      HostInfo host,
      Supplier<HttpTransport> http,
      Supplier<Downloader> downloader,
      Optional<ImageSourceProvider> sourceProvider,
      Optional<LayerStore> layerStore,
      Map<String, String> environment,
      ImageRecordStore records,
      Clock clock,
      int parallelDownloads) {
    this.host = Objects.requireNonNull(host, "host is null");
    this.http = Objects.requireNonNull(http, "http is null");
    this.downloader = Objects.requireNonNull(downloader, "downloader is null");
    this.sourceProvider = Objects.requireNonNull(sourceProvider, "sourceProvider is null");
    this.layerStore = Objects.requireNonNull(layerStore, "layerStore is null");
    this.environment = Map.copyOf(environment);
    this.records = Objects.requireNonNull(records, "records is null");
    this.puller =
        new ContainerPuller(new Services(), records, host, clock, parallelDownloads);
  }

  /**
   * Pulls an image.
   *
   * @param ref the reference
   * @param defaultRoot the root when the ref names none
   * @param listener progress receiver
   * @param cancellation checked between steps
   * @return the pulled image
   * @throws ComputeImageException when the pull fails
   */
  public PulledImage pull(
      ContainerRef ref, Path defaultRoot, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    return puller.pull(ref, layout(ref, defaultRoot), listener, cancellation);
  }

  /**
   * Finds a completely pulled image.
   *
   * @param ref the reference
   * @param defaultRoot the root when the ref names none
   * @return the image, or empty
   * @throws ComputeImageException for an invalid reference or unreadable record
   */
  public Optional<PulledImage> find(ContainerRef ref, Path defaultRoot)
      throws ComputeImageException {
    return puller.find(ref, layout(ref, defaultRoot));
  }

  /**
   * Resolves paths without pulling.
   *
   * @param ref the reference
   * @param defaultRoot the root when the ref names none
   * @return the paths
   * @throws ComputeImageException for an invalid reference or unreadable record
   */
  public ContainerPaths resolvePaths(ContainerRef ref, Path defaultRoot)
      throws ComputeImageException {
    return puller.resolvePaths(ref, layout(ref, defaultRoot));
  }

  /**
   * Returns the directory a container reference is stored in under a root, without I/O.
   *
   * @param image a container reference as typed ({@code ubuntu:24.04}, {@code name@sha256:...})
   * @param root the root directory
   * @return the image directory, or empty when {@code image} is not a valid container reference
   */
  public Optional<Path> imageDir(String image, Path root) {
    try {
      return Optional.of(new ContainerLayout(root, host.os()).imageDir(ImageReference.parse(image)));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  /**
   * Removes an image directory (record first, then through the layer store); keeps the cache.
   *
   * @param ref the reference
   * @param defaultRoot the root when the ref names none
   * @return the removed directory, or empty when nothing was there
   * @throws ComputeImageException when deleting fails
   */
  public Optional<Path> remove(ContainerRef ref, Path defaultRoot) throws ComputeImageException {
    Path dir = resolvePaths(ref, defaultRoot).dir();
    if (!Files.exists(dir)) {
      return Optional.empty();
    }
    removeDirectory(dir);
    return Optional.of(dir);
  }

  /**
   * Removes a container image directory found by listing: the record first, then the layers
   * through the layer store, then whatever is left.
   *
   * @param dir the image directory
   * @throws ComputeImageException when deleting fails
   */
  public void removeDirectory(Path dir) throws ComputeImageException {
    removeDirectory(dir, null);
  }

  /**
   * Removes a container image directory as {@link #removeDirectory(Path)} does, deleting {@code
   * keepUntilLast} (the held pull lock file) only after everything else: a pull that starts
   * meanwhile finds the lock held and waits, instead of creating a new lock file and pulling into
   * a directory being deleted.
   *
   * @param dir the image directory
   * @param keepUntilLast a file of {@code dir} to delete last, or null
   * @throws ComputeImageException when deleting fails
   */
  public void removeDirectory(Path dir, Path keepUntilLast) throws ComputeImageException {
    FileTrees.requireNoMountPoint(dir); // before anything is deleted
    requireNotInUse(dir);
    records.delete(dir);
    if (keepUntilLast != null) {
      FileTrees.deleteContentExcept(dir, keepUntilLast);
    }
    if (layerStore.isPresent()) {
      layerStore.get().remove(dir);
    }
    FileTrees.deleteRecursively(dir);
  }

  /**
   * Refuses when an overlay mounted anywhere uses a container image directory's layers, upper or
   * work directory (as far as the layer store can tell).
   *
   * @param dir the image directory
   * @throws ComputeImageException (LocalStorage) naming the mount
   */
  public void requireNotInUse(Path dir) throws ComputeImageException {
    if (layerStore.isPresent()) {
      layerStore.get().requireNotInUse(dir);
    }
  }

  private ContainerLayout layout(ContainerRef ref, Path defaultRoot) {
    return new ContainerLayout(ref.dir().orElse(defaultRoot), host.os());
  }

  private ImageSource source() throws ComputeImageException {
    ImageSource s = source;
    if (s == null) {
      synchronized (this) {
        if (source == null) {
          ImageSourceProvider p =
              sourceProvider.orElseThrow(
                  () ->
                      new UnsupportedFeatureException(
                          "no registry client plugin (ImageSource) is registered; is"
                              + " adapters-registry-oci on the class path?"));
          source = p.create(new ImageSourceContext(http.get(), host, environment, Set.of()));
        }
        s = source;
      }
    }
    return s;
  }

  private final class Services implements ContainerPullServices {
    @Override
    public ImageSource imageSource() throws ComputeImageException {
      return source();
    }

    @Override
    public Downloader downloader() throws ComputeImageException {
      return downloader.get();
    }

    @Override
    public LayerStore layerStore() throws ComputeImageException {
      return layerStore.orElseThrow(
          () ->
              new UnsupportedFeatureException(
                  "no container layer store supports this host ("
                      + host.os()
                      + "); container images need adapters-storage-linux on Linux"));
    }
  }
}
