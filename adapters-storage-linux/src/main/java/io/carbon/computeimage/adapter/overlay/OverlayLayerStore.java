package io.carbon.computeimage.adapter.overlay;

import io.carbon.computeimage.adapter.overlay.linux.OverlayMounts;
import io.carbon.computeimage.adapter.overlay.linux.PosixFs;
import io.carbon.computeimage.adapter.overlay.tar.PrintableText;
import io.carbon.computeimage.adapter.overlay.unpack.LayerUnpack;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsafeContentException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.store.LowerLayers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Unpacks container layers into overlayfs lower directories ({@code layers/NN}) with
 * overlayfs-native whiteouts: a 0/0 character device for a deleted path and {@code
 * trusted.overlay.opaque=y} on an opaque directory. Needs root (the {@code trusted.*} namespace and
 * whiteout devices); rootless use is refused with a clear error.
 *
 * <p>Thread-safe: it holds no state; layers of different images, or of the same image once their
 * lower layers are in place, may unpack in parallel.
 */
public final class OverlayLayerStore implements LayerStore {
  /** The store's name. */
  public static final String NAME = "overlayfs";

  private final java.util.function.IntSupplier euid;

  /** Creates the store; loads no native code. */
  public OverlayLayerStore() {
    this(PosixFs::geteuid);
  }

  /**
   * Creates the store with a given source of the effective user id (tests).
   *
   * @param euid returns the process's effective user id
   */
  OverlayLayerStore(java.util.function.IntSupplier euid) {
    this.euid = euid;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public boolean isSupported(HostInfo host) {
    return host.os() == OsFamily.LINUX;
  }

  @Override
  public LayerUnpackResult unpack(
      Path blob,
      LayerCompression compression,
      Path layerDir,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    return unpack(blob, compression, layerDir, List.of(), listener, cancellation);
  }

  @Override
  public LayerUnpackResult unpack(
      Path blob,
      LayerCompression compression,
      Path layerDir,
      List<Path> lowerLayerDirs,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    Objects.requireNonNull(blob, "blob is null");
    Objects.requireNonNull(compression, "compression is null");
    Path dir = checkLayerDir(layerDir);
    List<Path> lowers = lowerLayerDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    for (Path l : lowers) {
      if (!Files.isDirectory(l, LinkOption.NOFOLLOW_LINKS) || l.equals(dir)) {
        throw new LocalStorageException("lower layer directory " + l + " of " + layerDir
            + " is not a directory");
      }
    }
    try {
      return LayerUnpack.run(blob, compression, dir, LowerLayers.of(lowers),
          listener == null ? ProgressListener.NONE : listener,
          cancellation == null ? Cancellation.NONE : cancellation);
    } catch (ComputeImageException e) {
      throw printable(e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Unpacks as the blob arrives: decompression and hashing run on a thread of their own, and
   * entries are written at once; the lower layers are awaited at the first entry that needs them
   * (a parent directory, hard link target or deleted path this layer does not have itself).
   */
  @Override
  public LayerUnpackResult unpack(
      InputStream blob,
      LayerCompression compression,
      Path layerDir,
      LowerLayers lowerLayers,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    Objects.requireNonNull(blob, "blob is null");
    Objects.requireNonNull(compression, "compression is null");
    Objects.requireNonNull(lowerLayers, "lowerLayers is null");
    Path dir = checkLayerDir(layerDir);
    try {
      return LayerUnpack.run(blob, -1, "stream for " + dir.getFileName(), compression, dir,
          lowerLayers,
          listener == null ? ProgressListener.NONE : listener,
          cancellation == null ? Cancellation.NONE : cancellation);
    } catch (ComputeImageException e) {
      throw printable(e);
    }
  }

  /**
   * The last guard before a message reaches a terminal: entry names (and file-system messages
   * quoting them) are image-controlled, so control characters left in a message are escaped.
   */
  static ComputeImageException printable(ComputeImageException e) {
    String m = PrintableText.message(e.getMessage());
    if (m.equals(e.getMessage())) {
      return e;
    }
    Throwable c = e.getCause();
    ComputeImageException out;
    if (e instanceof MalformedImageException) {
      out = new MalformedImageException(m, c);
    } else if (e instanceof UnsafeContentException) {
      out = new UnsafeContentException(m, c);
    } else if (e instanceof LocalStorageException) {
      out = new LocalStorageException(m, c);
    } else if (e instanceof UnsupportedFeatureException) {
      out = new UnsupportedFeatureException(m, c);
    } else if (e instanceof CancelledException) {
      out = new CancelledException(m, c);
    } else {
      out = new ComputeImageException(e.kind(), m, c);
    }
    out.setStackTrace(e.getStackTrace());
    return out;
  }

  private Path checkLayerDir(Path layerDir) throws ComputeImageException {
    Objects.requireNonNull(layerDir, "layerDir is null");
    requireRoot(layerDir);
    Path dir = layerDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new LocalStorageException("layer directory " + layerDir
          + " does not exist or is not a directory (symlinks are not accepted)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new LocalStorageException("layer directory " + layerDir + " is not empty");
      }
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot read layer directory " + layerDir + ": " + LocalStorageException.describe(e, layerDir), e);
    }
    return dir;
  }

  @Override
  public void prepareWritable(Path imageDir) throws ComputeImageException {
    try {
      for (String name : List.of("upper", "work")) {
        Path p = imageDir.resolve(name);
        if (Files.isSymbolicLink(p)) {
          throw new LocalStorageException(p + " is a symlink; refusing to use it as overlayfs " + name);
        }
        Files.createDirectories(p);
      }
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot create upper/ and work/ in " + imageDir + ": " + LocalStorageException.describe(e), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads the mount table of every mount namespace ({@code /proc/<pid>/mountinfo}): an overlay
   * mount whose lower, upper or work directory lies inside the image directory refuses the
   * removal, whether its paths name the directory directly, through a symbolic link or bind mount,
   * or relative to where it was mounted from (see {@link OverlayMounts}).
   */
  @Override
  public void requireNotInUse(Path imageDir) throws ComputeImageException {
    Path dir = imageDir.toAbsolutePath().normalize();
    Optional<String> mount = OverlayMounts.mountUsing(OverlayMounts.readAll(), dir, OverlayMounts.FILE_SYSTEM);
    if (mount.isPresent()) {
      throw new LocalStorageException(
          "refusing to remove "
              + imageDir
              + ": the overlay mounted at "
              + mount.get()
              + " uses its layers (unmount it first); nothing was deleted");
    }
  }

  @Override
  public void remove(Path imageDir) throws ComputeImageException {
    if (!Files.exists(imageDir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Object rootDev = Files.getAttribute(imageDir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
      Files.walkFileTree(imageDir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
          Object dev = Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS);
          if (!dev.equals(rootDev)) {
            throw new IOException(d + " is a mount point; unmount it before removing the image");
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
          Files.delete(f); // symlinks, whiteout devices and fifos are unlinked, never followed
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          if (exc != null) {
            throw exc;
          }
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot remove image directory " + imageDir + ": " + LocalStorageException.describe(e), e);
    }
  }

  private void requireRoot(Path layerDir) throws UnsupportedFeatureException {
    int id;
    try {
      id = euid.getAsInt();
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new UnsupportedFeatureException("overlayfs layer store: libc is not available: " + e, e);
    }
    if (id != 0) {
      throw new UnsupportedFeatureException("unpacking into " + layerDir
          + " needs root: overlayfs whiteouts are 0/0 character devices and opaque directories"
          + " use trusted.overlay.* xattrs; rootless (user.overlay.*, userxattr) is not supported,"
          + " run as root");
    }
  }
}
