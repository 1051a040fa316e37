package io.carbon.computeimage.domain.vm;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.model.OsFamily;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The storage layout of VM images, exactly as the seed defines it, computed without I/O.
 *
 * <pre>
 * &lt;root&gt;/&lt;registry&gt;/&lt;name&gt;/&lt;version&gt;/&lt;arch&gt;/disk.img   (disk.vhd on Windows)
 * &lt;root&gt;/cache/&lt;name&gt;-&lt;version&gt;-&lt;arch&gt;.qcow2
 * </pre>
 *
 * <ul>
 *   <li>{@code <registry>} is the catalog's {@link DistroCatalog#defaultRegistry()}, or the
 *       override's host with its port when one is given ({@code 127.0.0.1:8080}). On Windows,
 *       where {@code :} cannot appear in a file name, every character of {@code <>:"/\|?*} is
 *       replaced by {@code _} ({@code 127.0.0.1_8080}).
 *   <li>{@code <name>} is the catalog's name (an alias such as {@code alma} maps to {@code
 *       almalinux}).
 *   <li>{@code <version>} is the catalog's canonical version, so {@code ubuntu:noble} and {@code
 *       ubuntu:24.04} share one directory.
 * </ul>
 *
 * @since 0.1
 */
public final class VmLayout {
  /** Name of the cache directory under the root. */
  public static final String CACHE_DIR = "cache";

  private final Path root;
  private final OsFamily os;

  /**
   * Creates the layout.
   *
   * @param root the root directory
   * @param os the host OS family; Windows stores fixed VHDs and uses file-name-safe registry names
   */
  public VmLayout(Path root, OsFamily os) {
    this.root = Objects.requireNonNull(root, "root is null");
    this.os = Objects.requireNonNull(os, "os is null");
  }

  /** @return the root directory */
  public Path root() {
    return root;
  }

  /** @return the disk format stored on this host: fixed VHD on Windows, raw elsewhere */
  public DiskFormat diskFormat() {
    return os == OsFamily.WINDOWS ? DiskFormat.VHD_FIXED : DiskFormat.RAW;
  }

  /** @return {@code disk.vhd} on Windows, {@code disk.img} elsewhere */
  public String diskFileName() {
    return os == OsFamily.WINDOWS ? "disk.vhd" : "disk.img";
  }

  /**
   * Returns the {@code <registry>} path segment for a reference.
   *
   * @param ref the reference
   * @param catalog its distro's catalog
   * @return the default registry, or the override's host and port, file-name-safe on Windows
   */
  public String registryDirName(VmRef ref, DistroCatalog catalog) {
    String reg =
        ref.mirror().map(VmLayout::hostAndPort).orElseGet(catalog::defaultRegistry);
    return safeName(reg);
  }

  /**
   * Makes a registry name safe as one path segment on this OS.
   *
   * @param registry for example {@code 127.0.0.1:8080}
   * @return the same on Linux, {@code 127.0.0.1_8080} on Windows
   */
  public String safeName(String registry) {
    if (os != OsFamily.WINDOWS) {
      return registry.replace('/', '_');
    }
    StringBuilder sb = new StringBuilder(registry.length());
    for (char c : registry.toCharArray()) {
      sb.append("<>:\"/\\|?*".indexOf(c) >= 0 || c < 32 ? '_' : c);
    }
    return sb.toString();
  }

  private static String hostAndPort(URI mirror) {
    String host = mirror.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return mirror.getPort() < 0 ? host : host + ":" + mirror.getPort();
  }

  /**
   * Computes the paths of a reference (no I/O).
   *
   * @param ref the reference; its {@code dir} is ignored (the layout's root is used)
   * @param catalog its distro's catalog
   * @return the paths; kernel paths present when {@code ref.extractKernel()}
   * @throws NotFoundException when the catalog does not know the version, or its release table
   *     says the version has no image for the architecture
   */
  public VmPaths paths(VmRef ref, DistroCatalog catalog) throws NotFoundException {
    String version = catalog.canonicalVersion(ref.version());
    String arch = ref.arch().ociName();
    for (DistroRelease r : catalog.releases()) {
      if (r.version().equals(version) && !r.arches().isEmpty() && !r.arches().contains(ref.arch())) {
        // as a pull would say, without asking the mirror
        throw new NotFoundException(
            catalog.name() + " " + version + " has no " + arch + " cloud image: valid architectures are "
                + r.arches().stream().map(Arch::ociName).sorted().collect(java.util.stream.Collectors.joining(", ")));
      }
    }
    Path dir =
        root.resolve(registryDirName(ref, catalog))
            .resolve(catalog.name())
            .resolve(version)
            .resolve(arch);
    Path cache = root.resolve(CACHE_DIR).resolve(catalog.name() + "-" + version + "-" + arch + ".qcow2");
    return new VmPaths(dir, dir.resolve(diskFileName()), diskFormat(), cache, ref.extractKernel());
  }
}
