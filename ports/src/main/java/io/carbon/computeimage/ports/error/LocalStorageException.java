package io.carbon.computeimage.ports.error;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Thrown when a local file-system operation fails.
 *
 * <p>{@link #describe(IOException, Path)} turns the underlying {@link IOException} into the cause
 * part of such a message ({@code cannot read disk image /x/u.qcow2: permission denied}), the same
 * way in every module.
 *
 * @since 0.1
 */
public class LocalStorageException extends ComputeImageException {
  private static final long serialVersionUID = 1L;

  /** A Java class name heading a message, as {@link Throwable#toString()} writes it. */
  private static final Pattern CLASS_NAME_PREFIX =
      Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?:: |$)");

  /**
   * Creates the exception.
   *
   * @param message a message naming the input and the cause
   */
  public LocalStorageException(String message) {
    super(ErrorKind.LOCAL_IO, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public LocalStorageException(String message, Throwable cause) {
    super(ErrorKind.LOCAL_IO, message, cause);
  }

  /**
   * Describes why a file-system operation failed, in a few lowercase words and without Java class
   * names: {@code permission denied}, {@code no such file or directory}, {@code no space left on
   * device}. The file the failure is about follows ({@code not a directory: /a/b}) unless it is
   * {@code subject}, which the caller's message names already.
   *
   * @param e the failure
   * @param subject the file the caller's message names, or {@code null}
   * @return one line, never {@code null}
   */
  public static String describe(IOException e, Path subject) {
    String what = reason(e);
    String file = e instanceof FileSystemException fse ? fse.getFile() : null;
    if (file == null || isSubject(file, subject)) {
      return what;
    }
    return what + ": " + file;
  }

  /**
   * Describes why a file-system operation failed, as {@link #describe(IOException, Path)} does,
   * followed by the file the failure names, if any.
   *
   * @param e the failure
   * @return one line, never {@code null}
   */
  public static String describe(IOException e) {
    return describe(e, null);
  }

  /** The usual failures, in the words of their errno ({@code ENOENT}, {@code EACCES}, ...). */
  private static final List<Map.Entry<Class<? extends IOException>, String>> KNOWN = List.of(
      Map.entry(NoSuchFileException.class, "no such file or directory"),
      Map.entry(AccessDeniedException.class, "permission denied"),
      Map.entry(NotDirectoryException.class, "not a directory"),
      Map.entry(FileAlreadyExistsException.class, "already exists"),
      Map.entry(DirectoryNotEmptyException.class, "directory not empty"),
      Map.entry(NotLinkException.class, "not a symbolic link"),
      Map.entry(FileSystemLoopException.class, "too many levels of symbolic links"));

  private static String reason(IOException e) {
    for (Map.Entry<Class<? extends IOException>, String> k : KNOWN) {
      if (k.getKey().isInstance(e)) {
        return k.getValue();
      }
    }
    if (e instanceof FileSystemException fse) {
      // getMessage() would be only the file when the reason is missing
      return fse.getReason() == null || fse.getReason().isBlank() ? "I/O error" : lowerFirst(fse.getReason());
    }
    String m = e.getMessage();
    if (e.getCause() instanceof IOException cause
        && (m == null || m.equals(cause.toString()) || m.equals(cause.getMessage()))) {
      return reason(cause); // new IOException(cause): the message is the cause's toString()
    }
    if (m == null || m.isBlank()) {
      return "I/O error";
    }
    m = CLASS_NAME_PREFIX.matcher(m).replaceFirst("");
    return m.isBlank() ? "I/O error" : lowerFirst(m);
  }

  /** "No space left on device" reads "no space left on device"; "ENOSPC" and "I/O" stay. */
  private static String lowerFirst(String s) {
    if (s.length() >= 2 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
      return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
    return s;
  }

  private static boolean isSubject(String file, Path subject) {
    if (subject == null) {
      return false;
    }
    if (file.equals(subject.toString())) {
      return true;
    }
    try {
      return Path.of(file).toAbsolutePath().normalize().equals(subject.toAbsolutePath().normalize());
    } catch (InvalidPathException | java.io.IOError | SecurityException x) {
      return false;
    }
  }
}
