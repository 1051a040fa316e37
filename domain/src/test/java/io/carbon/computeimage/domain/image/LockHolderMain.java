package io.carbon.computeimage.domain.image;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Holds a kernel lock on a file (as another image-cli process would) until its stdin closes. */
public final class LockHolderMain {
  private LockHolderMain() {}

  /**
   * Locks {@code args[0]}, prints {@code locked}, and waits for standard input to end.
   *
   * @param args the lock file
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var lock = ch.lock()) {
      System.out.println("locked");
      System.out.flush();
      while (System.in.read() >= 0) {
        // hold the lock until the test closes our stdin
      }
    }
  }
}
