package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.util.Objects;

/**
 * Deletes directory trees without following symbolic links or crossing mount points, clearing the DOS read-only attribute
 * where a file system has one (Windows).
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
    Object rootDevice = device(path);
    Path[] crossing = new Path[1];
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!Objects.equals(device(dir), rootDevice)) {
                crossing[0] = dir;
                return FileVisitResult.TERMINATE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
              delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
              if (exc instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
              if (exc != null) {
                throw exc;
              }
              delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new LocalStorageException("cannot delete " + path + ": " + Describe.cause(e), e);
    }
    if (crossing[0] != null) {
      throw new LocalStorageException(
          "cannot delete "
              + path
              + " completely: "
              + crossing[0]
              + " is on another mounted file system (unmount it first)");
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
