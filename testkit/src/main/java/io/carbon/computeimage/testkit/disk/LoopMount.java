package io.carbon.computeimage.testkit.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Mounts a filesystem held in a file (or in a byte range of a disk file) on a fresh loop device,
 * runs an action on the mount point, then unmounts and detaches the loop device, always (also
 * when the action fails). Needs root.
 *
 * @since 0.1
 */
public final class LoopMount {
  private LoopMount() {}

  /**
   * Mounts the filesystem at {@code [offset, offset+size)} of {@code file} and runs {@code
   * action} with the mount point.
   *
   * @param file the image file
   * @param offset the filesystem's first byte in the file (0 for a bare filesystem image)
   * @param size the filesystem length, or 0 for "to the end of the file"
   * @param action what to do with the mounted tree
   */
  public static void withMounted(Path file, long offset, long size, Consumer<Path> action) {
    List<String> losetup = new ArrayList<>(List.of("losetup", "--find", "--show"));
    if (offset > 0) {
      losetup.add("--offset");
      losetup.add(Long.toString(offset));
    }
    if (size > 0) {
      losetup.add("--sizelimit");
      losetup.add(Long.toString(size));
    }
    losetup.add(file.toString());
    String dev = ToolRunner.run(losetup).stdout().trim();
    Path mnt = null;
    try {
      mnt = Files.createTempDirectory("ci-loopmnt-");
      ToolRunner.run("mount", dev, mnt.toString());
      try {
        action.accept(mnt);
        ToolRunner.run("sync", "-f", mnt.toString());
      } finally {
        ToolRunner.run("umount", mnt.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("creating a mount point", e);
    } finally {
      ToolRunner.run("losetup", "-d", dev);
      if (mnt != null) {
        try {
          Files.deleteIfExists(mnt);
        } catch (IOException ignored) {
          // best effort: an empty temp dir
        }
      }
    }
  }

  /**
   * Copies a tree into a filesystem image through a loop mount.
   *
   * @param fsImage a bare filesystem image file
   * @param content the tree to copy (its contents, not the directory itself)
   * @param preserveOwnership false for filesystems without owners (vfat)
   */
  public static void populate(Path fsImage, Path content, boolean preserveOwnership) {
    withMounted(fsImage, 0, 0, mnt -> ToolRunner.run(
        preserveOwnership
            ? List.of("cp", "-a", content.toString() + "/.", mnt.toString())
            : List.of("cp", "-R", content.toString() + "/.", mnt.toString())));
  }
}
