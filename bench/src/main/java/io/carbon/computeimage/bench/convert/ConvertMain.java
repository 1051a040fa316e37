package io.carbon.computeimage.bench.convert;

import io.carbon.computeimage.adapter.convert.QcowDiskConverter;
import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.nio.file.Path;

/**
 * Benchmark driver: {@code ConvertMain IN OUT [raw|vhd]} converts one image with the pure-Java
 * converter, as {@code image-cli convert} would, and exits (bench/convert/run.sh times it).
 * {@code BENCH_SYNC=0} skips the final flush, as {@code qemu-img convert} does by default;
 * {@code BENCH_THREADS=n} sets the worker count; {@code BENCH_TRACE=1} prints the time since JVM start at each progress event.
 *
 * @since 0.1
 */
public final class ConvertMain {
  private ConvertMain() {}

  /**
   * Runs one conversion.
   *
   * @param args input, output and optional format
   */
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: ConvertMain IN OUT [raw|vhd]");
      System.exit(2);
    }
    DiskFormat target = args.length > 2 && args[2].equals("vhd") ? DiskFormat.VHD_FIXED
        : DiskFormat.RAW;
    try {
      boolean sync = !"0".equals(System.getenv("BENCH_SYNC"));
      String th = System.getenv("BENCH_THREADS");
      QcowDiskConverter converter = new QcowDiskConverter(
          th != null ? Integer.parseInt(th) : Runtime.getRuntime().availableProcessors(),
          QcowDiskConverter.DEFAULT_UNIT,
          java.time.Clock.systemUTC(), sync);
      ProgressListener listener = "1".equals(System.getenv("BENCH_TRACE"))
          ? new TraceListener() : new ProgressListener() {
            @Override
            public void note(String message) {
              System.err.println("note: " + message);
            }
          };
      ConversionResult r = converter.convert(Path.of(args[0]), Path.of(args[1]),
          target, listener, Cancellation.NONE);
      System.err.println("converted " + r.virtualSize() + " bytes, " + r.dataBytes()
          + " data bytes");
    } catch (ComputeImageException e) {
      System.err.println(e.getMessage());
      System.exit(e.kind().exitCode());
    }
  }

  /** Prints milliseconds since JVM start, CPU time and bytes at each event (to stderr). */
  private static final class TraceListener implements ProgressListener {
    private long lastPrint;

    private static String stamp() {
      long up = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
      long cpu = ((com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
      return String.format("%6d ms (cpu %6d ms)", up, cpu / 1_000_000);
    }

    @Override
    public void started(String taskId, String description, long totalBytes) {
      System.err.println(stamp() + " started " + description);
    }

    @Override
    public void progressed(String taskId, long completedBytes) {
      long now = System.nanoTime();
      if (now - lastPrint > 200_000_000L) {
        lastPrint = now;
        System.err.println(stamp() + " " + (completedBytes >> 20) + " MiB");
      }
    }

    @Override
    public void finished(String taskId) {
      System.err.println(stamp() + " finished");
    }

    @Override
    public void note(String message) {
      System.err.println(stamp() + " " + message);
    }
  }
}
