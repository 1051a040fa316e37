package io.carbon.computeimage.adapter.overlay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A read-only overlayfs mount of layer directories for tests; always close it. */
final class OverlayMount implements AutoCloseable {
  private final Path merged;

  private OverlayMount(Path merged) {
    this.merged = merged;
  }

  /**
   * Mounts {@code lowerdir=NN:...:00}.
   *
   * @param lowersBottomFirst layers/00 first
   * @param scratch a directory for the mount point (and an empty bottom layer when needed)
   */
  static OverlayMount mount(List<Path> lowersBottomFirst, Path scratch) throws IOException, InterruptedException {
    List<Path> lowers = new ArrayList<>(lowersBottomFirst);
    if (lowers.size() == 1) {
      lowers.add(0, Files.createDirectories(scratch.resolve("empty-bottom")));
    }
    List<String> top = new ArrayList<>();
    for (int i = lowers.size() - 1; i >= 0; i--) {
      top.add(lowers.get(i).toString());
    }
    Path merged = Files.createDirectories(scratch.resolve("merged"));
    run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + String.join(":", top), merged.toString());
    return new OverlayMount(merged);
  }

  Path merged() {
    return merged;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", merged.toString());
  }

  static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
