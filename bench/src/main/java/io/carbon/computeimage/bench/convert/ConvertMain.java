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
      ConversionResult r = new QcowDiskConverter().convert(Path.of(args[0]), Path.of(args[1]),
          target, ProgressListener.NONE, Cancellation.NONE);
      System.err.println("converted " + r.virtualSize() + " bytes, " + r.dataBytes()
          + " data bytes");
    } catch (ComputeImageException e) {
      System.err.println(e.getMessage());
      System.exit(e.kind().exitCode());
    }
  }
}
