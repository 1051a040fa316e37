package io.carbon.computeimage.testkit.disk;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Random;

/**
 * Seeded test content: incompressible and compressible files and tree copies, to populate the
 * filesystems {@link DiskImageBuilder} makes.
 *
 * @since 0.1
 */
public final class DataFiles {
  private static final String[] WORDS = {
    "kernel", "initrd", "cluster", "sector", "qcow2", "extent", "inode", "journal", "superblock",
    "partition", "the", "of", "and", "boot", "loader", "zstd", "deflate", "mirror", "image", "disk"
  };

  private DataFiles() {}

  /**
   * Writes {@code size} seeded random bytes (incompressible).
   *
   * @param file the file to create or replace
   * @param size the length
   * @param seed the seed
   * @return {@code file}
   */
  public static Path random(Path file, long size, long seed) {
    Random r = new Random(seed);
    byte[] buf = new byte[1 << 16];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, size - done));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
    return file;
  }

  /**
   * Writes {@code size} bytes of seeded text that compresses about 3-4x.
   *
   * @param file the file to create or replace
   * @param size the length
   * @param seed the seed
   * @return {@code file}
   */
  public static Path compressible(Path file, long size, long seed) {
    byte[] data = compressibleBytes((int) Math.min(size, 1 << 20), seed);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; done += data.length) {
        out.write(data, 0, (int) Math.min(data.length, size - done));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file, e);
    }
    return file;
  }

  /**
   * Returns seeded text-like bytes.
   *
   * @param size the length
   * @param seed the seed
   * @return the bytes
   */
  public static byte[] compressibleBytes(int size, long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(size + 32);
    while (sb.length() < size) {
      sb.append(WORDS[r.nextInt(WORDS.length)]);
      sb.append(r.nextInt(8) == 0 ? "\n" : " ");
      if (r.nextInt(16) == 0) {
        sb.append(r.nextInt(100000));
      }
    }
    byte[] all = sb.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[size];
    System.arraycopy(all, 0, out, 0, size);
    return out;
  }

  /**
   * Creates a tree of {@code files} files (half random, half compressible) under {@code dir},
   * totalling about {@code totalBytes}, in a few sub-directories.
   *
   * @param dir the directory (created)
   * @param files the number of files
   * @param totalBytes the total size
   * @param seed the seed
   * @return {@code dir}
   */
  public static Path tree(Path dir, int files, long totalBytes, long seed) {
    try {
      Files.createDirectories(dir);
      long each = Math.max(1, totalBytes / Math.max(1, files));
      for (int i = 0; i < files; i++) {
        Path sub = dir.resolve("d" + (i % 4));
        Files.createDirectories(sub);
        Path f = sub.resolve("f" + i + (i % 2 == 0 ? ".bin" : ".txt"));
        if (i % 2 == 0) {
          random(f, each, seed + i);
        } else {
          compressible(f, each, seed + i);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("creating tree " + dir, e);
    }
  }

  /**
   * Copies a directory tree (regular files and directories; symlinks as links).
   *
   * @param source the tree to copy
   * @param target the destination directory (created)
   */
  public static void copyTree(Path source, Path target) {
    try {
      Files.walkFileTree(
          source,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                throws IOException {
              Files.createDirectories(target.resolve(source.relativize(d).toString()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
              Files.copy(f, target.resolve(source.relativize(f).toString()),
                  StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("copying " + source + " to " + target, e);
    }
  }

  /**
   * Deletes a tree, ignoring what is already gone.
   *
   * @param root the tree
   */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException("deleting " + p, e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + root, e);
    }
  }
}
