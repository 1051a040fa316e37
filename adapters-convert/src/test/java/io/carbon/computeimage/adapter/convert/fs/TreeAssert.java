package io.carbon.computeimage.adapter.convert.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Compares a filesystem read by a reader with the source tree it was made from. */
public final class TreeAssert {
  private TreeAssert() {}

  /**
   * Asserts every file, directory and symlink of {@code source} is in {@code fs} with the same
   * content, names and link targets.
   *
   * @return the number of entries compared
   */
  public static int assertSameTree(Path source, Filesystem fs) throws Exception {
    FsPaths paths = new FsPaths(fs);
    List<Path> all;
    try (Stream<Path> s = Files.walk(source)) {
      all = s.collect(Collectors.toList());
    }
    for (Path p : all) {
      String rel = "/" + source.relativize(p).toString();
      Optional<FsNode> node = paths.resolveNoFollow(rel);
      assertThat(node).as(rel).isPresent();
      if (Files.isSymbolicLink(p)) {
        assertThat(node.get().kind()).as(rel).isEqualTo(NodeKind.SYMLINK);
        assertThat(fs.readLink(node.get())).as(rel).isEqualTo(Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        assertThat(node.get().kind()).as(rel).isEqualTo(NodeKind.DIRECTORY);
        try (Stream<Path> s = Files.list(p)) {
          List<String> names = s.map(x -> x.getFileName().toString()).collect(Collectors.toList());
          List<String> listed = fs.list(node.get()).stream()
              .filter(n -> !n.equals("lost+found")).collect(Collectors.toList());
          assertThat(listed).as(rel).containsExactlyInAnyOrderElementsOf(names);
        }
      } else {
        assertThat(node.get().kind()).as(rel).isEqualTo(NodeKind.FILE);
        assertThat(node.get().size()).as(rel).isEqualTo(Files.size(p));
        try (InputStream in = fs.open(node.get())) {
          assertThat(sha256(in)).as(rel).isEqualTo(sha256(Files.newInputStream(p)));
        }
      }
    }
    return all.size();
  }

  /** @return the hex SHA-256 of a stream */
  public static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
