package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes directory trees without following symbolic links or crossing mount points, clearing the
 * DOS read-only attribute where a file system has one (Windows).
 *
 * @since 0.1
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes a directory tree; a missing path is not an error. Symbolic links are deleted
   * themselves, never followed, and the walk never descends into another mounted file system (a
   * mount point inside the tree stops the deletion with an error naming it).
   *
   * @param path the file or directory
   * @throws LocalStorageException naming the path that could not be deleted, or the mount point
   */
  public static void deleteRecursively(Path path) throws LocalStorageException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // mount points first, so that a refused deletion has deleted nothing (an overlay mounted over
    // an image's layers and upper dir must not lose its upper dir)
    requireNoMountPoint(path);
    SameDeviceWalk walk =
        new SameDeviceWalk(device(path)) {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            delete(dir);
            return FileVisitResult.CONTINUE;
          }
        };
    try {
      Files.walkFileTree(path, walk);
    } catch (IOException e) {
      throw new LocalStorageException("cannot delete " + path + ": " + Describe.cause(e), e);
    }
    if (walk.crossing != null) { // mounted after the check above
      throw new LocalStorageException(
          "cannot delete "
              + path
              + " completely: "
              + walk.crossing
              + " is on another mounted file system (unmount it first)");
    }
  }

  /**
   * Deletes everything in a directory except one of its entries, as {@link #deleteRecursively}
   * deletes (links unlinked, never followed; mount points refused).
   *
   * @param dir the directory
   * @param keep the entry of {@code dir} to leave
   * @throws LocalStorageException naming what could not be deleted
   */
  public static void deleteContentExcept(Path dir, Path keep) throws LocalStorageException {
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(children::add);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + dir + ": " + Describe.cause(e), e);
    }
    for (Path child : children) {
      if (!child.getFileName().equals(keep.getFileName())) {
        deleteRecursively(child);
      }
    }
  }

  /**
   * Checks that no directory of a tree is another mounted file system; call it before deleting
   * anything that belongs to the tree (records included).
   *
   * @param tree the directory tree (a missing path passes)
   * @throws LocalStorageException naming the mount point
   */
  public static void requireNoMountPoint(Path tree) throws LocalStorageException {
    if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Optional<Path> mount = findMountPoint(tree, device(tree));
    if (mount.isPresent()) {
      throw new LocalStorageException(
          "refusing to delete " + tree + ": " + mount.get()
              + " is on another mounted file system (unmount it first); nothing was deleted");
    }
  }

  private static Optional<Path> findMountPoint(Path tree, Object rootDevice)
      throws LocalStorageException {
    SameDeviceWalk walk = new SameDeviceWalk(rootDevice);
    try {
      Files.walkFileTree(tree, walk);
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + tree + ": " + Describe.cause(e), e);
    }
    return Optional.ofNullable(walk.crossing);
  }

  /**
   * Walks a tree without leaving its file system: stops at the first directory on another device
   * and remembers it; files that vanish during the walk are skipped.
   */
  private static class SameDeviceWalk extends SimpleFileVisitor<Path> {
    private final Object rootDevice;
    Path crossing;

    SameDeviceWalk(Object rootDevice) {
      this.rootDevice = rootDevice;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (!Objects.equals(device(dir), rootDevice)) {
        crossing = dir;
        return FileVisitResult.TERMINATE;
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
      if (exc instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE;
      }
      throw exc;
    }
  }

  /** The identity of the file system holding a path (device number on Unix). */
  private static Object device(Path p) {
    try {
      return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      try {
        FileStore fs = Files.getFileStore(p);
        return fs.name() + "|" + fs.type();
      } catch (IOException e2) {
        return null;
      }
    }
  }

  /**
   * Creates a directory and its missing parents, like {@link Files#createDirectories}, and tells
   * which of them this call created.
   *
   * @param dir the directory
   * @return the topmost directory that did not exist before, or empty when {@code dir} existed
   * @throws IOException when a directory cannot be created
   */
  public static Optional<Path> createDirectories(Path dir) throws IOException {
    Path top = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      top = p;
    }
    Files.createDirectories(dir);
    return Optional.ofNullable(top);
  }

  /**
   * Deletes a directory tree, then its parents up to and including {@code top} while they are
   * empty (a parent holding anything else stops the walk).
   *
   * @param dir the directory to delete
   * @param top the topmost parent that may be deleted ({@code dir} itself or one of its ancestors)
   * @throws LocalStorageException naming the path that could not be deleted
   */
  public static void deleteWithEmptyParents(Path dir, Path top) throws LocalStorageException {
    deleteRecursively(dir);
    if (dir.equals(top) || !dir.startsWith(top)) {
      return;
    }
    for (Path p = dir.getParent(); p != null && p.startsWith(top); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (IOException e) {
        throw new LocalStorageException("cannot delete " + p + ": " + Describe.cause(e), e);
      }
    }
  }

  private static void delete(Path p) throws IOException {
    try {
      Files.deleteIfExists(p);
    } catch (AccessDeniedException e) {
      DosFileAttributeView dos =
          Files.getFileAttributeView(p, DosFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (dos == null) {
        throw e;
      }
      dos.setReadOnly(false);
      Files.deleteIfExists(p);
    }
  }
}
