package io.carbon.computeimage.testkit.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A target layer directory surrounded by sentinels, to prove that unpacking wrote nothing outside
 * it: {@code base/layers/1} (the target), its sibling-prefix neighbour {@code base/layers/10}, a
 * lower layer {@code base/layers/0}, and {@code base/outside}, each holding a file.
 *
 * @param base the parent of everything
 * @param target the directory to unpack into ({@code layers/1})
 * @param sibling {@code layers/10}, the sibling-prefix victim
 * @param outside a directory outside {@code layers/}
 */
public record Sentinels(Path base, Path target, Path sibling, Path outside) {
  /**
   * Creates the layout under {@code base}.
   *
   * @param base an empty directory
   * @return the sentinels
   */
  public static Sentinels create(Path base) {
    try {
      Path layers = Files.createDirectories(base.resolve("layers"));
      Path target = Files.createDirectory(layers.resolve("1"));
      Path sibling = Files.createDirectory(layers.resolve("10"));
      Path outside = Files.createDirectory(base.resolve("outside"));
      Files.writeString(sibling.resolve("x"), "sibling sentinel\n");
      Files.writeString(outside.resolve("secret"), "outside sentinel\n");
      Files.writeString(base.resolve("top-sentinel"), "top sentinel\n");
      return new Sentinels(base, target, sibling, outside);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Lists every path under {@code base} except those inside the target, with type, mode and
   * content, so two listings differ when anything outside the target changed.
   *
   * @return the listing
   */
  public List<String> outsideListing() {
    try (Stream<Path> s = Files.walk(base)) {
      return s.filter(p -> !p.startsWith(target) || p.equals(target))
          .sorted()
          .map(this::describe)
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String describe(Path p) {
    try {
      Object mode = Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      String content = Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          ? new String(Files.readAllBytes(p), StandardCharsets.UTF_8)
          : Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : "";
      return base.relativize(p) + " " + Integer.toOctalString((Integer) mode) + " " + content;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
