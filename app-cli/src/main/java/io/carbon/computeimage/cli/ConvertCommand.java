package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.model.DiskFormat;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-cli convert <in> <out> [--format raw|vhd]}. */
@Command(
    name = "convert",
    description = {
      "Convert a disk image to a sparse raw image or a fixed VHD.",
      "The input format (qcow2 or raw) is detected from the content; the output appears only when"
          + " complete."
    },
    mixinStandardHelpOptions = true)
public class ConvertCommand extends BaseCommand {
  /** Output formats of {@code --format}. */
  enum Format {
    raw,
    vhd
  }

  @Parameters(index = "0", paramLabel = "<in>", description = "Input image.")
  Path in;

  @Parameters(index = "1", paramLabel = "<out>", description = "Output file.")
  Path outFile;

  @Option(
      names = "--format",
      paramLabel = "raw|vhd",
      description = "Output format (default: vhd when <out> ends in .vhd, else raw).")
  Format format;

  @Override
  int run() throws Exception {
    Format f = format;
    if (f == null) {
      f = outFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".vhd") ? Format.vhd : Format.raw;
    }
    DiskFormat target = f == Format.vhd ? DiskFormat.VHD_FIXED : DiskFormat.RAW;
    ComputeImage images = open(null, listener());
    ConversionResult r = images.convert(in, outFile, target);
    if (!common.quiet) {
      out().println(
          "wrote "
              + r.file()
              + " ("
              + r.sourceFormat()
              + " -> "
              + r.format()
              + ", "
              + HumanBytes.format(r.virtualSize())
              + " virtual, "
              + HumanBytes.format(r.dataBytes())
              + " data)");
    }
    return 0;
  }
}
