package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.Durability;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.DiskFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image-cli convert <in> <out> [--format raw|vhd]}. */
@Command(
    name = "convert",
    description = {
      "Convert a disk image to a sparse raw image or a fixed VHD.",
      "The input format (qcow2, fixed VHD or raw) is detected from the content; other image"
          + " formats (VMDK, VHDX, VDI, QED, ...) are refused. The output appears only when"
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
  String outFile;

  @Option(
      names = "--format",
      paramLabel = "raw|vhd",
      description = "Output format (default: vhd when <out> ends in .vhd, else raw).")
  Format format;

  @Option(
      names = "--no-sync",
      description = {
        "Do not flush the output to disk before renaming it into place (faster; what qemu-img"
            + " convert does). A killed process still never leaves a partial <out>, but a power"
            + " loss soon after may."
      })
  boolean noSync;

  @Override
  int run() throws Exception {
    if (outFile.isEmpty() || outFile.endsWith("/") || outFile.endsWith(java.io.File.separator)) {
      Path named = outFile.isEmpty() ? null : Path.of(outFile);
      throw new InvalidReferenceException("cannot convert to " + outFile + ": "
          + (named != null && Files.exists(named) && !Files.isDirectory(named)
              ? "a name ending with '/' is a directory, and " + named + " is a file (leave out the '/')"
              : "output is a directory (give a file name)"));
    }
    Path out = Path.of(outFile);
    Format f = format;
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (f == null && !sameFile(in, out)) { // the library refuses output = input by itself
      for (String ext : List.of(".qcow2", ".qcow", ".vmdk", ".vdi", ".vhdx")) {
        if (name.endsWith(ext)) {
          throw new UnsupportedFeatureException(
              "cannot convert to "
                  + outFile
                  + ": writing "
                  + ext.substring(1)
                  + " is not supported (outputs: raw, vhd; give --format raw to write raw data"
                  + " under this name)");
        }
      }
      f = name.endsWith(".vhd") ? Format.vhd : Format.raw;
    }
    DiskFormat target = f == Format.vhd ? DiskFormat.VHD_FIXED : DiskFormat.RAW;
    ComputeImage images = open(null, listener());
    ConversionResult r =
        images.convert(in, out, target, noSync ? Durability.PAGE_CACHE : Durability.FLUSHED);
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

  private static boolean sameFile(Path a, Path b) {
    try {
      return java.nio.file.Files.exists(b) && java.nio.file.Files.isSameFile(a, b);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
