package io.carbon.computeimage.adapter.convert.fs;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Resolves absolute paths inside one {@link Filesystem}, following symlinks (absolute ones from the
 * filesystem's root, relative ones from the link's directory) and never leaving the filesystem.
 * Loops are detected by a bound on the number of links followed.
 */
public final class FsPaths {
  /** The most symlinks followed while resolving one path, as Linux's MAXSYMLINKS. */
  public static final int MAX_LINKS = 40;

  private static final int MAX_LINK_LENGTH = 4096;

  private final Filesystem fs;

  /**
   * Creates a resolver.
   *
   * @param fs the filesystem
   */
  public FsPaths(Filesystem fs) {
    this.fs = fs;
  }

  /**
   * Resolves a path, following every symlink including the last component.
   *
   * @param path an absolute or relative (to the root) path
   * @return the node, or empty when some component does not exist
   * @throws IOException on I/O failure, malformed structures, or a symlink loop
   */
  public Optional<FsNode> resolve(String path) throws IOException {
    return walk(path, true);
  }

  /**
   * Resolves a path, following symlinks in every component but the last.
   *
   * @param path an absolute or relative (to the root) path
   * @return the node (possibly a symlink), or empty when some component does not exist
   * @throws IOException on I/O failure, malformed structures, or a symlink loop
   */
  public Optional<FsNode> resolveNoFollow(String path) throws IOException {
    return walk(path, false);
  }

  private Optional<FsNode> walk(String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    pushComponents(todo, path);
    Deque<FsNode> stack = new ArrayDeque<>(); // ancestors of the current node, for ".."
    FsNode current = fs.root();
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (!stack.isEmpty()) {
          current = stack.pop();
        }
        continue;
      }
      if (current.kind() != NodeKind.DIRECTORY) {
        return Optional.empty();
      }
      Optional<FsNode> child = fs.lookup(current, name);
      if (child.isEmpty()) {
        return Optional.empty();
      }
      FsNode next = child.get();
      boolean last = todo.isEmpty();
      if (next.kind() == NodeKind.SYMLINK && (followLast || !last)) {
        if (++links > MAX_LINKS) {
          throw new MalformedDiskIOException(
              "too many levels of symbolic links resolving '" + path + "' (a loop?)");
        }
        if (next.size() > MAX_LINK_LENGTH) {
          throw new MalformedDiskIOException(
              "symlink '" + name + "' in '" + path + "' is " + next.size() + " bytes long");
        }
        String target = fs.readLink(next);
        if (target.startsWith("/")) {
          stack.clear();
          current = fs.root();
        }
        pushComponents(todo, target);
        continue;
      }
      stack.push(current);
      current = next;
    }
    return Optional.of(current);
  }

  private static void pushComponents(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }
}
