package io.carbon.computeimage.testkit.demo;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.boot.BuiltLayout;
import io.carbon.computeimage.testkit.boot.DebianKernel;
import io.carbon.computeimage.testkit.boot.DistroDisks;
import io.carbon.computeimage.testkit.boot.DistroLayout;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Builds the offline demo mirror: for each requested distro release, a qcow2 laid out like that
 * distro's cloud image ({@link DistroDisks}: real partition layout and boot configuration, the
 * real Debian cloud kernel with a marker initrd), published with {@link MirrorTreeWriter} at the
 * distro's real URL paths with its real checksum file format and directory listings.
 *
 * <p>Disks are built once per layout and kept under {@code <cache>/disks/<layout id>/} (building
 * needs root: loop mounts); the kernel is fetched once into {@code <cache>/kernel/}. The mirror
 * tree {@code <cache>/mirror/} is written afresh on every {@link #build} (copies of the cached
 * disks, so the published digests stay the same from run to run). Builds of one cache directory
 * are serialized by a file lock. Only amd64: the kernel is Debian's amd64 cloud kernel.
 */
public final class DemoMirror {
  /** The cache directory {@code scripts/demo-mirror.sh} uses. */
  public static final Path DEFAULT_CACHE = Path.of("/var/tmp/compute-image-demo");

  /** The images published when none are asked for. */
  public static final List<String> DEFAULT_IMAGES = List.of("ubuntu:24.04", "debian:12");

  private static final String DONE = "layout.properties";

  /**
   * One release to publish.
   *
   * @param reference the reference as the user types it, for example {@code ubuntu:noble}
   * @param catalog the distro's catalog
   * @param version the version as the user types it
   * @param layout the disk layout published for it
   */
  public record Request(String reference, DistroCatalog catalog, String version, DistroLayout layout) {
    /** Validates the components. */
    public Request {
      Objects.requireNonNull(reference, "reference is null");
      Objects.requireNonNull(catalog, "catalog is null");
      Objects.requireNonNull(version, "version is null");
      Objects.requireNonNull(layout, "layout is null");
    }
  }

  /**
   * A cached disk.
   *
   * @param layout the layout
   * @param qcow2 the qcow2 file
   * @param marker the line the disk's default initrd prints when booted
   * @param commandLine the command line its boot configuration gives
   */
  public record Disk(DistroLayout layout, Path qcow2, String marker, String commandLine) {}

  /**
   * One published image.
   *
   * @param request what was asked for
   * @param disk the disk published
   * @param image where the mirror tree holds it
   */
  public record Published(Request request, Disk disk, MirroredImage image) {}

  private DemoMirror() {}

  /**
   * Resolves a reference ({@code name:version}) against a catalog: the layout published for it.
   *
   * @param reference the reference as typed, for example {@code rocky:9}
   * @param catalog the catalog named by the reference's name (or alias)
   * @return the request
   * @throws IllegalArgumentException when the reference has no version, the catalog does not know
   *     the version or does not publish it for amd64, or no layout stands for the distro
   */
  public static Request request(String reference, DistroCatalog catalog) {
    int colon = reference.indexOf(':');
    if (colon <= 0 || colon == reference.length() - 1) {
      throw new IllegalArgumentException("expected NAME:VERSION, for example ubuntu:24.04: " + reference);
    }
    String version = reference.substring(colon + 1);
    String canonical;
    try {
      canonical = catalog.canonicalVersion(version);
    } catch (NotFoundException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    boolean amd64 = catalog.releases().stream()
        .anyMatch(r -> r.version().equals(canonical) && r.arches().contains(Arch.AMD64));
    if (!amd64) {
      throw new IllegalArgumentException(reference + ": the demo only has amd64 images and "
          + catalog.name() + " " + canonical + " has no amd64 build");
    }
    return new Request(reference, catalog, version, layoutFor(catalog.name(), canonical));
  }

  /**
   * The disk layout that stands for a distro release.
   *
   * @param distro the catalog name
   * @param canonicalVersion the canonical version
   * @return the layout
   * @throws IllegalArgumentException for a distro no layout stands for
   */
  public static DistroLayout layoutFor(String distro, String canonicalVersion) {
    switch (distro) {
      case "ubuntu":
        return canonicalVersion.equals("22.04") ? DistroLayout.UBUNTU_2204
            : canonicalVersion.equals("24.04") ? DistroLayout.UBUNTU_2404 : DistroLayout.UBUNTU_2510;
      case "debian":
        return canonicalVersion.equals("12") ? DistroLayout.DEBIAN_12 : DistroLayout.DEBIAN;
      case "alpine":
        return canonicalVersion.startsWith("3.20") || canonicalVersion.startsWith("3.21")
            ? DistroLayout.ALPINE_BARE : DistroLayout.ALPINE_MBR;
      case "fedora":
        return DistroLayout.FEDORA;
      case "rocky":
      case "almalinux":
      case "centos":
        return canonicalVersion.equals("8") ? DistroLayout.EL8 : DistroLayout.EL9;
      case "opensuse":
        return DistroLayout.OPENSUSE;
      case "arch":
        return DistroLayout.ARCH;
      default:
        throw new IllegalArgumentException("the demo has no disk layout for " + distro
            + " (built-in distros: ubuntu, debian, fedora, opensuse, rocky, almalinux, centos, alpine, arch)");
    }
  }

  /**
   * The mirror tree {@link #build} writes for a server port: one tree per port, so demo servers
   * on different ports sharing a cache do not overwrite each other's tree.
   *
   * @param cacheDir the cache directory
   * @param port the port the tree is served on
   * @return {@code <cacheDir>/mirror-<port>}
   */
  public static Path mirrorRoot(Path cacheDir, int port) {
    return cacheDir.toAbsolutePath().resolve("mirror-" + port);
  }

  /**
   * Builds the missing disks and writes the mirror tree, with the kernel cached in {@code
   * <cacheDir>/kernel}.
   *
   * @param cacheDir the cache directory (created when missing)
   * @param requests what to publish
   * @param baseUri the URL the tree will be served at, for example {@code http://127.0.0.1:8080/}
   * @return what was published, in request order
   * @throws IOException when building or writing fails
   */
  public static List<Published> build(Path cacheDir, List<Request> requests, URI baseUri)
      throws IOException {
    return build(cacheDir, cacheDir.resolve("kernel"), requests, baseUri);
  }

  /**
   * Builds the missing disks and writes the mirror tree.
   *
   * @param cacheDir the cache directory (created when missing)
   * @param kernelCacheDir where the Debian kernel is cached ({@link DebianKernel})
   * @param requests what to publish
   * @param baseUri the URL the tree will be served at
   * @return what was published, in request order
   * @throws IOException when building or writing fails
   */
  public static List<Published> build(
      Path cacheDir, Path kernelCacheDir, List<Request> requests, URI baseUri) throws IOException {
    Path cache = cacheDir.toAbsolutePath();
    Files.createDirectories(cache);
    try (FileChannel ch = FileChannel.open(cache.resolve(".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.lock(); // released when the channel closes
      List<Disk> disks = new ArrayList<>();
      for (Request r : requests) {
        disks.add(disk(cache, kernelCacheDir, r.layout()));
      }
      Path mirror = mirrorRoot(cache, baseUri.getPort());
      deleteTree(mirror);
      MirrorTreeWriter writer = new MirrorTreeWriter(mirror, baseUri);
      List<Published> out = new ArrayList<>();
      for (int i = 0; i < requests.size(); i++) {
        Request r = requests.get(i);
        MirroredImage image = writer.write(r.catalog(), r.version(), Arch.AMD64, disks.get(i).qcow2());
        out.add(new Published(r, disks.get(i), image));
      }
      return List.copyOf(out);
    }
  }

  private static Disk disk(Path cache, Path kernelCacheDir, DistroLayout layout) throws IOException {
    Path dir = cache.resolve("disks").resolve(layout.id());
    Path done = dir.resolve(DONE);
    Path qcow2 = dir.resolve("disk.qcow2");
    if (Files.isRegularFile(done) && Files.isRegularFile(qcow2)) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(done, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      return new Disk(layout, qcow2, p.getProperty("marker"), p.getProperty("cmdline"));
    }
    deleteTree(dir);
    Path kernel = DebianKernel.vmlinuz(kernelCacheDir);
    BuiltLayout built = DistroDisks.build(layout, dir.resolve("work"), kernel);
    Files.move(built.qcow2(), qcow2, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(dir.resolve("work"));
    Properties p = new Properties();
    p.setProperty("marker", built.marker());
    p.setProperty("cmdline", built.commandLine());
    p.setProperty("kernelVersion", built.kernelVersion());
    Path tmp = dir.resolve(DONE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "compute-image demo disk (" + layout + ")");
    }
    Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
    return new Disk(layout, qcow2, built.marker(), built.commandLine());
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
