package io.carbon.computeimage.adapter.convert.kernel;

import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** A {@link BootView} of a {@link Filesystem}. */
public final class FsBootView implements BootView {
  private static final int MAX_TEXT = 4 << 20;

  private final Filesystem fs;
  private final FsPaths paths;

  /**
   * Creates the view.
   *
   * @param fs the filesystem
   */
  public FsBootView(Filesystem fs) {
    this.fs = fs;
    this.paths = new FsPaths(fs);
  }

  /** @return the filesystem */
  public Filesystem filesystem() {
    return fs;
  }

  /**
   * Resolves a path to a node, following symlinks.
   *
   * @param path the path
   * @return the node, or empty
   * @throws IOException on I/O failure or malformed structures
   */
  public Optional<FsNode> node(String path) throws IOException {
    return paths.resolve(path);
  }

  @Override
  public Optional<String> readText(String path) throws IOException {
    Optional<FsNode> n = paths.resolve(path);
    if (n.isEmpty() || n.get().kind() != NodeKind.FILE) {
      return Optional.empty();
    }
    if (n.get().size() > MAX_TEXT) {
      throw new MalformedDiskIOException(path + " is " + n.get().size()
          + " bytes, too large for a boot configuration file");
    }
    try (InputStream in = fs.open(n.get())) {
      return Optional.of(new String(in.readNBytes((int) n.get().size()), StandardCharsets.UTF_8));
    }
  }

  @Override
  public List<String> list(String dir) throws IOException {
    Optional<FsNode> n = paths.resolve(dir);
    if (n.isEmpty() || n.get().kind() != NodeKind.DIRECTORY) {
      return List.of();
    }
    return fs.list(n.get());
  }

  @Override
  public Optional<String> readLink(String path) throws IOException {
    Optional<FsNode> n = paths.resolveNoFollow(path);
    if (n.isEmpty() || n.get().kind() != NodeKind.SYMLINK) {
      return Optional.empty();
    }
    return Optional.of(fs.readLink(n.get()));
  }

  @Override
  public boolean isFile(String path) throws IOException {
    Optional<FsNode> n = paths.resolve(path);
    return n.isPresent() && n.get().kind() == NodeKind.FILE;
  }
}
