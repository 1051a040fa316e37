package io.carbon.computeimage.adapter.convert.fs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/** Builds source trees exercising reader features: big dirs, big, sparse and tiny files, links. */
public final class SourceTrees {
  private SourceTrees() {}

  /**
   * Writes a tree into {@code root}.
   *
   * @param root the directory (created)
   * @param manyFiles the number of files in the big directory (htree / btree directories)
   * @param sparseRuns the number of separate data runs in the sparse file (multi-level extents)
   */
  public static void write(Path root, int manyFiles, int sparseRuns, int blockSize)
      throws IOException {
    Random rnd = new Random(42);
    Files.createDirectories(root.resolve("boot/loader/entries"));
    Files.createDirectories(root.resolve("big"));
    for (int i = 0; i < manyFiles; i++) {
      Files.writeString(root.resolve("big/file-with-a-long-name-" + i + ".txt"), "content " + i);
    }
    byte[] large = new byte[5 * 1024 * 1024 + 123];
    rnd.nextBytes(large);
    Files.write(root.resolve("boot/vmlinuz-6.1.0-1-amd64"), large);
    Files.writeString(root.resolve("tiny"), "hi\n");
    Files.write(root.resolve("empty"), new byte[0]);
    Path sparse = root.resolve("sparse.bin");
    try (FileChannel ch = FileChannel.open(sparse, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      byte[] blk = new byte[blockSize];
      for (int i = 0; i < sparseRuns; i++) {
        rnd.nextBytes(blk);
        ch.write(ByteBuffer.wrap(blk), (long) i * 2 * blockSize);
      }
      ch.truncate((long) sparseRuns * 2 * blockSize + 5 * blockSize);
      ch.write(ByteBuffer.wrap(new byte[] {1}), (long) sparseRuns * 2 * blockSize + 5 * blockSize);
    }
    Files.createSymbolicLink(root.resolve("boot/vmlinuz"), Path.of("vmlinuz-6.1.0-1-amd64"));
    String longTarget = "./boot/" + "./".repeat(40) + "../boot/vmlinuz-6.1.0-1-amd64";
    Files.createSymbolicLink(root.resolve("slowlink"), Path.of(longTarget));
    Files.createSymbolicLink(root.resolve("abslink"), Path.of("/boot/vmlinuz"));
    try (OutputStream out = Files.newOutputStream(root.resolve("boot/loader/entries/a.conf"))) {
      out.write("title A\nlinux /vmlinuz-6.1.0-1-amd64\n".getBytes());
    }
  }
}
