package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;

/**
 * Marks compute-image root directories and guards their removal.
 *
 * <p>Every pull writes the marker file {@value #MARKER} into its root. {@link #removeRoot} deletes
 * only a directory carrying that marker, never the file-system root, the user's home or an ancestor
 * of it, never follows symbolic links and never descends into another mounted file system.
 *
 * @since 0.1
 */
public final class RootGuard {
  /** Name of the marker file written into a root directory on first use. */
  public static final String MARKER = ".compute-image-root";

  private RootGuard() {}

  /**
   * Writes the marker into a root directory (creating the directory) unless it is there already.
   * The marker is written under a temporary name and renamed into place, so that a failure (a full
   * disk) leaves no marker rather than an empty or partial one.
   *
   * @param root the root directory
   * @throws InvalidReferenceException when the root (or one of its parents) is not a directory
   * @throws LocalStorageException naming the root when it cannot be created or written
   */
  public static void mark(Path root) throws ComputeImageException {
    Path marker = root.resolve(MARKER);
    if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    requireDirectoryOrAbsent(root);
    Path tmp = null;
    try {
      Files.createDirectories(root);
      tmp = Files.createTempFile(root, MARKER + ".", ".tmp");
      try {
        // createTempFile makes it 0600; the marker is as readable as the root
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system (Windows): the directory's ACL applies
      }
      Files.writeString(tmp, "compute-image root directory: `image-cli rm-all` may delete it\n");
      try {
        Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, marker, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (FileAlreadyExistsException e) {
      throw new InvalidReferenceException(
          "root directory " + root + " is not a directory (" + e.getFile() + " is a file)", e);
    } catch (IOException e) {
      throw new LocalStorageException("cannot use root directory " + root + ": " + Describe.cause(e), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // best effort: a stray temporary file in the root is harmless
        }
      }
    }
  }

  /**
   * Checks that a root directory is a directory, or does not exist yet.
   *
   * @param root the root directory
   * @throws InvalidReferenceException when it, or its nearest existing parent, is not a directory
   */
  public static void requireDirectoryOrAbsent(Path root) throws InvalidReferenceException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new InvalidReferenceException("root directory " + root + " is not a directory");
    }
    for (Path p = root.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        if (!Files.isDirectory(p)) {
          throw new InvalidReferenceException(
              "root directory " + root + " is not a directory (" + p + " is a file)");
        }
        break;
      }
    }
  }

  /**
   * Checks, without any I/O, that a path may be deleted as a root at all: refuses the file-system
   * root, the home directory and every ancestor of the home directory.
   *
   * @param root the root directory to delete
   * @param home the user's home directory, or empty when unknown
   * @return the refusal reason, or empty when the path form is acceptable
   */
  public static Optional<String> refusalByPath(Path root, Optional<Path> home) {
    Path r = root.toAbsolutePath().normalize();
    if (r.getParent() == null || r.getNameCount() == 0) {
      return Optional.of("it is the root of the file system");
    }
    if (home.isPresent()) {
      Path h = home.get().toAbsolutePath().normalize();
      if (h.equals(r)) {
        return Optional.of("it is the home directory");
      }
      if (h.startsWith(r)) {
        return Optional.of("it contains the home directory " + h);
      }
    }
    return Optional.empty();
  }

  /**
   * Deletes a compute-image root directory with everything under it. A missing path and an empty
   * directory are left as they are.
   *
   * @param root the root directory
   * @param home the user's home directory, or empty when unknown
   * @return true when something was deleted
   * @throws InvalidReferenceException when the path is not a compute-image root (a file, a
   *     directory without the marker, a symbolic link, the file-system root, the home or an ancestor
   *     of it)
   * @throws LocalStorageException when deleting fails or the tree contains another mount
   */
  public static boolean removeRoot(Path root, Optional<Path> home) throws ComputeImageException {
    return removeRoot(root, home, r -> {});
  }

  /** A check run on a root that is about to be deleted; it refuses by throwing. */
  @FunctionalInterface
  public interface BeforeDelete {
    /**
     * Checks a root whose deletion is about to start.
     *
     * @param root the marked, non-empty root directory
     * @throws ComputeImageException to refuse the deletion
     */
    void check(Path root) throws ComputeImageException;
  }

  /**
   * Deletes a compute-image root directory with everything under it, as {@link #removeRoot(Path,
   * Optional)} does, once {@code beforeDelete} has accepted it.
   *
   * @param root the root directory
   * @param home the user's home directory, or empty when unknown
   * @param beforeDelete run on a marked, non-empty root before anything is deleted
   * @return true when something was deleted
   * @throws ComputeImageException as {@link #removeRoot(Path, Optional)}, or from {@code
   *     beforeDelete}
   */
  public static boolean removeRoot(Path root, Optional<Path> home, BeforeDelete beforeDelete)
      throws ComputeImageException {
    Objects.requireNonNull(root, "root is null");
    Optional<String> refusal = refusalByPath(root, home);
    if (refusal.isPresent()) {
      throw refused(root, refusal.get());
    }
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (Files.isSymbolicLink(root)) {
      throw refused(root, "it is a symbolic link (give the directory it points to)");
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw refused(root, "it is not a directory");
    }
    try {
      Path real = root.toRealPath();
      Optional<Path> realHome = home.map(RootGuard::realOrSelf);
      refusal = refusalByPath(real, realHome);
      if (refusal.isPresent()) {
        throw refused(root, refusal.get());
      }
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + root + ": " + Describe.cause(e), e);
    }
    if (isEmptyDir(root)) {
      return false;
    }
    if (!Files.isRegularFile(root.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
      throw refused(
          root,
          "it is not a compute-image root directory (no "
              + MARKER
              + " marker; delete it by hand if it really is one)");
    }
    beforeDelete.check(root);
    FileTrees.deleteRecursively(root);
    return true;
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }

  private static InvalidReferenceException refused(Path root, String why) {
    return new InvalidReferenceException("refusing to delete " + root + ": " + why);
  }

  private static boolean isEmptyDir(Path dir) throws LocalStorageException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      return !ds.iterator().hasNext();
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + dir + ": " + Describe.cause(e), e);
    }
  }
}
