package io.carbon.computeimage.testkit.lock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A lock on a file held by another process, as an {@code image-cli} process holds its pull or
 * output locks ({@link FileChannel#lock()}: a POSIX record lock, which a lock taken inside the
 * test's own JVM could not stand for). Close it to end the process and release the lock.
 */
public final class OtherProcessLock implements AutoCloseable {
  private static final String READY = "locked";
  private final Process process;

  private OtherProcessLock(Process process) {
    this.process = process;
  }

  /**
   * Starts a JVM that locks {@code file} (created when missing) and holds the lock until closed.
   *
   * @param file the file to lock
   * @return the holder, once the lock is held
   * @throws IOException when the process cannot start or does not get the lock
   */
  public static OtherProcessLock hold(Path file) throws IOException {
    Process p = start(file.toString());
    InputStream out = p.getInputStream();
    String line = new String(out.readNBytes(READY.length()), StandardCharsets.UTF_8);
    if (!line.equals(READY)) {
      p.destroyForcibly();
      throw new IOException("the lock holder did not lock " + file + " (said '" + line + "')");
    }
    return new OtherProcessLock(p);
  }

  /**
   * Asks another process whether it could lock {@code file} right now: what a second {@code
   * image-cli} would find (a lock held by this JVM counts as held, which a check inside this JVM
   * could not tell from a lock this JVM lost).
   *
   * @param file an existing file
   * @return true when some process holds a lock on it
   * @throws IOException when the probe cannot run
   */
  public static boolean lockedElsewhere(Path file) throws IOException {
    Process p = start("--probe", file.toString());
    String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    if (!answer.equals("held") && !answer.equals("free")) {
      throw new IOException("the lock probe of " + file + " said '" + answer + "'");
    }
    return answer.equals("held");
  }

  /** Starts this class's {@link #main} in another JVM, with the test JVM's java. */
  private static Process start(String... args) throws IOException {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes;
    try {
      classes = Path.of(OtherProcessLock.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", classes, OtherProcessLock.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Ends the holder; its lock goes with it. */
  @Override
  public void close() throws IOException {
    process.getOutputStream().close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /**
   * The holder process: locks {@code args[0]}, says so on stdout, and waits for stdin to close;
   * with {@code --probe FILE}, says whether FILE could be locked ({@code free}) or not ({@code held}).
   *
   * @param args the file to lock
   * @throws IOException when the file cannot be locked
   */
  public static void main(String[] args) throws IOException {
    if (args[0].equals("--probe")) {
      try (FileChannel ch = FileChannel.open(Path.of(args[1]), StandardOpenOption.WRITE)) {
        System.out.print(ch.tryLock() == null ? "held" : "free");
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ch.lock();
      System.out.print(READY);
      System.out.flush();
      while (System.in.read() >= 0) {
        // until the test closes the pipe
      }
    }
  }
}
