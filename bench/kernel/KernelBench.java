import io.carbon.computeimage.adapter.convert.kernel.DiskKernelExtractor;
import io.carbon.computeimage.ports.disk.BootFiles;
import io.carbon.computeimage.ports.disk.KernelOptions;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;

/** Times kernel extraction in-process (JVM start-up excluded): args disk outDir runs. */
public final class KernelBench {
  public static void main(String[] args) throws Exception {
    Path disk = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    long best = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      BootFiles f = new DiskKernelExtractor().extract(disk, out, KernelOptions.defaults(),
          ProgressListener.NONE, Cancellation.NONE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      best = Math.min(best, ms);
      System.out.printf("run %d: %d ms (kernel %d bytes, initrd %d bytes)%n", i + 1, ms,
          Files.size(f.kernel()), Files.size(f.initrd()));
    }
    System.out.printf("best: %d ms%n", best);
  }
}
