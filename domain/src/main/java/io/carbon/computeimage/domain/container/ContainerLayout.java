package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.domain.image.DirectoryLock;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.store.LayerCompression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The storage layout of container images (the seed's contract).
 *
 * <pre>
 * &lt;root&gt;/&lt;registry&gt;/&lt;repo&gt;/&lt;tag&gt;/      image directory (digest refs: sha256-&lt;hex&gt;)
 *   layers/00, 01, ...    unpacked layers, base first (overlayfs lower dirs)
 *   upper/  work/         empty overlayfs upper and work directories
 *   manifest.json         the platform manifest as served
 *   config.json           the image config as served
 *   image-record.properties  the record, written last: present = pulled and complete
 * &lt;root&gt;/cache/sha256-&lt;hex&gt;.tar.gz   layer blobs by digest (.tar.zst, .tar for other compressions)
 * </pre>
 *
 * The {@code :} of a registry port becomes {@code _} ({@code 127.0.0.1_5000}): {@code :} separates
 * overlayfs {@code lowerdir} entries (and Windows forbids it); a host name never contains {@code _},
 * so no two registries share a directory. On Windows other characters Windows forbids become
 * {@code _} too.
 *
 * @param root the root directory
 * @param os the host OS family (decides name escaping)
 * @since 0.1
 */
public record ContainerLayout(Path root, OsFamily os) {
  /** Name of the directory holding the unpacked layers. */
  public static final String LAYERS = "layers";

  /** Name of the image record, written last (the shared VM/container record format). */
  public static final String RECORD = io.carbon.computeimage.domain.image.ImageRecordStore.FILE_NAME;

  /** Name of the lock file inside the image directory. */
  public static final String LOCK = DirectoryLock.FILE_NAME;

  /** Name of the stored manifest. */
  public static final String MANIFEST = "manifest.json";

  /** Name of the stored config. */
  public static final String CONFIG = "config.json";

  /** Validates the components. */
  public ContainerLayout {
    java.util.Objects.requireNonNull(root, "root is null");
    java.util.Objects.requireNonNull(os, "os is null");
  }

  /**
   * Returns the image directory of a reference.
   *
   * @param ref the reference
   * @return {@code <root>/<registry>/<repo>/<tag>} or {@code .../sha256-<hex>} for digest refs
   */
  public Path imageDir(ImageReference ref) {
    Path p = root.resolve(registryDirName(ref.registry()));
    for (String component : ref.repository().split("/")) {
      p = p.resolve(component);
    }
    return p.resolve(
        ref.digest().map(ContainerLayout::digestName).orElseGet(() -> ref.tag().orElseThrow()));
  }

  /** @return the shared blob cache directory */
  public Path cacheDir() {
    return root.resolve(io.carbon.computeimage.domain.vm.VmLayout.CACHE_DIR);
  }

  /**
   * Returns the cache file of a layer blob.
   *
   * @param digest the blob digest
   * @param compression the blob compression
   * @return {@code <root>/cache/sha256-<hex>.tar.gz} (or {@code .tar.zst}, {@code .tar})
   */
  public Path cachedBlob(Digest digest, LayerCompression compression) {
    String ext =
        switch (compression) {
          case GZIP -> ".tar.gz";
          case ZSTD -> ".tar.zst";
          case NONE -> ".tar";
        };
    return cacheDir().resolve(digestName(digest) + ext);
  }

  /**
   * Returns the paths of an image directory holding {@code layerCount} layers.
   *
   * @param imageDir the image directory
   * @param layerCount the number of layers
   * @return the paths
   */
  public ContainerPaths paths(Path imageDir, int layerCount) {
    List<Path> layers = new ArrayList<>();
    for (int i = 0; i < layerCount; i++) {
      layers.add(layerDir(imageDir, i));
    }
    return new ContainerPaths(
        imageDir, layers, imageDir.resolve("upper"), imageDir.resolve("work"), cacheDir());
  }

  /**
   * Returns the directory of layer {@code index}: {@code layers/00}, ..., {@code layers/99},
   * {@code layers/100}.
   *
   * @param imageDir the image directory
   * @param index the layer index, base = 0
   * @return the layer directory
   */
  public static Path layerDir(Path imageDir, int index) {
    return imageDir.resolve(LAYERS).resolve(String.format(java.util.Locale.ROOT, "%02d", index));
  }

  /**
   * Returns a file-name-safe form of a digest.
   *
   * @param digest the digest
   * @return {@code sha256-<hex>}
   */
  public static String digestName(Digest digest) {
    return digest.algorithm().prefix() + "-" + digest.hex();
  }

  private String registryDirName(String registry) {
    // ':' (a port) would split an overlayfs lowerdir list and is not allowed on Windows
    StringBuilder sb = new StringBuilder(registry.length());
    for (char c : registry.toCharArray()) {
      boolean bad = c == ':' || (os == OsFamily.WINDOWS && ("<>\"/\\|?*".indexOf(c) >= 0 || c < 32));
      sb.append(bad ? '_' : c);
    }
    return sb.toString();
  }
}
