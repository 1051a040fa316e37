package io.carbon.computeimage.domain.image;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads, writes and lists {@link ImageRecord}s in image directories under a root.
 *
 * <p>The record file is {@value #FILE_NAME}: Java properties (UTF-8) with the keys {@code
 * formatVersion}, {@code kind}, {@code reference}, {@code platform}, {@code registry}, {@code
 * pulledAt} (ISO-8601) and every attribute under {@code attr.<key>}. It is written to a temporary
 * name and renamed into place, so readers see the whole record or none. Thread-safe (stateless).
 *
 * @since 0.1
 */
public final class ImageRecordStore {
  /** The record's file name inside an image directory. */
  public static final String FILE_NAME = "image-record.properties";

  /**
   * The marker a pull writes when it starts changing an image directory: the same format as the
   * record, naming the reference, so that a pull killed outright is listed (as incomplete) under
   * the reference it was pulling. Writing the record deletes it.
   */
  public static final String IN_PROGRESS_FILE_NAME = "pull-in-progress.properties";

  private static final String ATTR = "attr.";
  private static final int MAX_DEPTH = 10;

  /**
   * Writes the record atomically into {@code dir}.
   *
   * @param dir the image directory (must exist)
   * @param record the record
   * @throws LocalStorageException when writing fails
   */
  public void write(Path dir, ImageRecord record) throws LocalStorageException {
    writeFile(dir, FILE_NAME, record);
    try {
      Files.deleteIfExists(dir.resolve(IN_PROGRESS_FILE_NAME));
    } catch (IOException e) {
      // harmless: a directory holding the record is ready whatever else it holds
    }
  }

  /**
   * Writes the in-progress marker ({@value #IN_PROGRESS_FILE_NAME}) atomically into {@code dir}:
   * what a pull is about to store there, so that {@link #list} names an interrupted pull by its
   * reference. {@link #write} deletes it; {@link #read} ignores it.
   *
   * @param dir the image directory (must exist)
   * @param pulling the reference, platform and registry being pulled (attributes are optional)
   * @throws LocalStorageException when writing fails
   */
  public void writeInProgress(Path dir, ImageRecord pulling) throws LocalStorageException {
    writeFile(dir, IN_PROGRESS_FILE_NAME, pulling);
  }

  private static void writeFile(Path dir, String fileName, ImageRecord record)
      throws LocalStorageException {
    Properties p = new Properties();
    p.setProperty("formatVersion", "1");
    p.setProperty("kind", record.kind());
    p.setProperty("reference", record.reference());
    p.setProperty("platform", record.platform());
    p.setProperty("registry", record.registry());
    p.setProperty("pulledAt", record.pulledAt().toString());
    record.attributes().forEach((k, v) -> p.setProperty(ATTR + k, v));
    StringWriter text = new StringWriter();
    try {
      // sorted keys for stable, diffable files
      new TreeSet<>(p.stringPropertyNames())
          .forEach(k -> text.append(escape(k, true)).append('=').append(escape(p.getProperty(k), false)).append('\n'));
      Path tmp = Files.createTempFile(dir, "." + fileName + ".", ".tmp");
      try {
        // createTempFile makes it 0600; the record is as readable as the image it describes
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system (Windows): the directory's ACL applies
      }
      try {
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          w.write(text.toString());
        }
        try {
          Files.move(tmp, dir.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, dir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new LocalStorageException("cannot write " + fileName + " in " + dir + ": " + Describe.cause(e), e);
    }
  }

  private static String escape(String s, boolean key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '=', ':', '#', '!' -> sb.append('\\').append(c);
        case ' ' -> sb.append(key || i == 0 ? "\\ " : " ");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /**
   * Reads the record of an image directory.
   *
   * @param dir the image directory
   * @return the record, or empty when the directory holds none (not pulled or incomplete)
   * @throws LocalStorageException when the record exists but cannot be read or is malformed
   */
  public Optional<ImageRecord> read(Path dir) throws LocalStorageException {
    return readFile(dir.resolve(FILE_NAME));
  }

  /**
   * Reads the in-progress marker of an image directory (see {@link #writeInProgress}).
   *
   * @param dir the image directory
   * @return what a pull that has not completed was pulling, or empty when there is no marker or it
   *     cannot be read
   */
  public Optional<ImageRecord> readInProgress(Path dir) {
    try {
      return readFile(dir.resolve(IN_PROGRESS_FILE_NAME));
    } catch (LocalStorageException e) {
      return Optional.empty(); // a torn or foreign marker only costs the nicer name
    }
  }

  private static Optional<ImageRecord> readFile(Path file) throws LocalStorageException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (AccessDeniedException e) {
      Path dir = file.getParent();
      if (dir != null && !Files.isExecutable(dir)) {
        // the directory cannot be searched: whether it holds a record at all is unknown
        throw new LocalStorageException("cannot read " + dir + ": permission denied", e);
      }
      throw new LocalStorageException("cannot read image record " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot read image record " + file + ": " + Describe.cause(e, file), e);
    } catch (IllegalArgumentException e) {
      throw new LocalStorageException("cannot read image record " + file + ": " + e.getMessage(), e);
    }
    try {
      Map<String, String> attrs = new HashMap<>();
      for (String k : p.stringPropertyNames()) {
        if (k.startsWith(ATTR)) {
          attrs.put(k.substring(ATTR.length()), p.getProperty(k));
        }
      }
      return Optional.of(
          new ImageRecord(
              required(p, "kind", file),
              required(p, "reference", file),
              p.getProperty("platform", "-"),
              p.getProperty("registry", "-"),
              Instant.parse(required(p, "pulledAt", file)),
              attrs));
    } catch (DateTimeParseException e) {
      throw new LocalStorageException("malformed image record " + file + ": bad pulledAt: " + e.getMessage(), e);
    }
  }

  private static String required(Properties p, String key, Path file) throws LocalStorageException {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new LocalStorageException("malformed image record " + file + ": missing '" + key + "'");
    }
    return v;
  }

  /**
   * Deletes the record, so the directory no longer counts as ready.
   *
   * @param dir the image directory
   * @throws LocalStorageException when deleting fails
   */
  public void delete(Path dir) throws LocalStorageException {
    try {
      Files.deleteIfExists(dir.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new LocalStorageException("cannot delete image record in " + dir + ": " + Describe.cause(e), e);
    }
  }

  /**
   * Removes what a failed first pull left: the image directory it created, when no record was
   * written in it (a recorded image is complete and stays), and then its parents up to {@code
   * createdTop} while they are empty. Call it while holding the directory's {@link DirectoryLock}:
   * a pull waiting for that lock notices and starts over. A failure to delete is added to {@code
   * failure} as suppressed, never thrown.
   *
   * @param dir the image directory
   * @param createdTop the topmost directory the pull created ({@code dir} or an ancestor)
   * @param failure the pull's failure, which the caller rethrows
   * @return true when the directory was removed
   */
  public boolean discardFailedPull(Path dir, Path createdTop, Throwable failure) {
    if (Files.exists(dir.resolve(FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      FileTrees.deleteWithEmptyParents(dir, createdTop);
      return true;
    } catch (LocalStorageException e) {
      failure.addSuppressed(e);
      return false;
    }
  }

  /**
   * Lists image directories under a root: every directory holding a record (ready) and every
   * leaf directory holding files but no record (incomplete). The {@code cache} directory directly
   * under the root is not listed.
   *
   * @param root the root directory; a missing root lists nothing
   * @param cacheDirName the cache directory's name under the root
   * @return the images, sorted by directory
   * @throws LocalStorageException when the tree cannot be read
   */
  public List<StoredImage> list(Path root, String cacheDirName) throws LocalStorageException {
    List<StoredImage> out = new ArrayList<>();
    try {
      if (!Files.readAttributes(root, BasicFileAttributes.class).isDirectory()) {
        return out;
      }
    } catch (AccessDeniedException e) {
      // a parent cannot be searched: the root may well hold images
      throw new LocalStorageException("cannot read " + root + ": permission denied", e);
    } catch (IOException e) {
      return out; // missing, or below a file
    }
    try {
      scan(root, root, root.resolve(cacheDirName), out, 0);
    } catch (IOException e) {
      throw new LocalStorageException("cannot list images under " + root + ": " + Describe.cause(e), e);
    }
    out.sort(Comparator.comparing(StoredImage::dir));
    return out;
  }

  private void scan(Path dir, Path root, Path cache, List<StoredImage> out, int depth)
      throws IOException, LocalStorageException {
    if (depth > MAX_DEPTH) {
      return;
    }
    Optional<ImageRecord> record = read(dir);
    if (record.isPresent()) {
      ImageRecord r = record.get();
      out.add(
          new StoredImage(
              dir, ImageStatus.READY, r.kind(), r.reference(), r.platform(), r.registry(), sizeOf(dir), record));
      return;
    }
    Optional<ImageRecord> pulling =
        dir.equals(root) ? Optional.empty() : readInProgress(dir);
    if (pulling.isPresent()) {
      // a pull that did not complete (killed, failed re-pull): listed under what it was pulling
      ImageRecord r = pulling.get();
      out.add(
          new StoredImage(
              dir, ImageStatus.INCOMPLETE, r.kind(), r.reference(), r.platform(), r.registry(),
              sizeOf(dir), Optional.empty()));
      return;
    }
    if (Files.isDirectory(dir.resolve("layers")) && Files.isRegularFile(dir.resolve("manifest.json"))) {
      // an interrupted container pull without a marker (an older version): one incomplete image,
      // not one per layer directory, named by reversing the container layout
      Path rel = root.relativize(dir);
      List<String> seg = new ArrayList<>();
      rel.forEach(p -> seg.add(p.toString()));
      String registry = seg.isEmpty() ? "-" : containerRegistry(seg.get(0));
      out.add(
          new StoredImage(
              dir, ImageStatus.INCOMPLETE, ImageRecord.KIND_CONTAINER, containerReference(registry, seg), "-",
              registry, sizeOf(dir), Optional.empty()));
      return;
    }
    boolean hasFiles = false;
    List<Path> subdirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path child : ds) {
        if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
          if (!child.equals(cache)) {
            subdirs.add(child);
          }
        } else if (!child.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
          hasFiles = true; // a lone lock file is what a failed pull may leave where it cannot be deleted
        }
      }
    }
    int before = out.size();
    subdirs.sort(Comparator.naturalOrder());
    for (Path sub : subdirs) {
      scan(sub, root, cache, out, depth + 1);
    }
    if (hasFiles && out.size() == before && !dir.equals(root)) {
      out.add(incomplete(dir, root));
    }
  }

  /**
   * Reverses the container layout's registry directory name: a port's {@code :} is stored as
   * {@code _} ({@code 127.0.0.1_5000}); host names never contain {@code _}.
   */
  static String containerRegistry(String dirName) {
    return dirName.replaceFirst("_([0-9]+)$", ":$1");
  }

  /**
   * Reverses the container layout's image directory: {@code <registry>/<repo...>/<tag>}, or {@code
   * sha256-<hex>} in place of the tag for a digest reference.
   */
  static String containerReference(String registry, List<String> seg) {
    if (seg.size() < 3) {
      return String.join("/", seg);
    }
    String last = seg.get(seg.size() - 1);
    String name = registry + "/" + String.join("/", seg.subList(1, seg.size() - 1));
    if (last.matches("sha256-[0-9a-f]{64}|sha512-[0-9a-f]{128}")) {
      return name + "@" + last.replaceFirst("-", ":");
    }
    return name + ":" + last;
  }

  private static StoredImage incomplete(Path dir, Path root) throws IOException {
    Path rel = root.relativize(dir);
    List<String> seg = new ArrayList<>();
    rel.forEach(p -> seg.add(p.toString()));
    if (seg.size() == 4) {
      return new StoredImage(
          dir,
          ImageStatus.INCOMPLETE,
          ImageRecord.KIND_VM,
          seg.get(1) + ":" + seg.get(2),
          seg.get(3),
          seg.get(0),
          sizeOf(dir),
          Optional.empty());
    }
    return new StoredImage(
        dir,
        ImageStatus.INCOMPLETE,
        "unknown",
        String.join("/", seg),
        "-",
        seg.isEmpty() ? "-" : seg.get(0),
        sizeOf(dir),
        Optional.empty());
  }

  /**
   * Sums the apparent sizes of the regular files under a directory.
   *
   * @param dir the directory
   * @return the size in bytes
   * @throws IOException when the tree cannot be read
   */
  public static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
