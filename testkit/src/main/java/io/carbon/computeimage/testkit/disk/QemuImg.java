package io.carbon.computeimage.testkit.disk;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thin wrapper over {@code qemu-img} and {@code qemu-io} for tests and benchmarks. Every failure
 * throws {@link IllegalStateException} with the command line, exit code and both output streams.
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * QemuImg.toQcow2(rawDisk, qcow2, Qcow2Options.v3(Qcow2Options.Compression.ZSTD));
 * QemuImg.convertToRaw(qcow2, expectedRaw);           // qemu-img convert -O raw
 * assertThat(QemuImg.compare(expectedRaw, ourRaw)).isTrue();
 * assertThat(QemuImg.format(vhd)).isEqualTo("vpc");
 * }</pre>
 *
 * @since 0.1
 */
public final class QemuImg {
  private static final Pattern FORMAT = Pattern.compile("\"format\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern VSIZE = Pattern.compile("\"virtual-size\"\\s*:\\s*(\\d+)");

  private QemuImg() {}

  /**
   * Runs {@code qemu-img} with the given arguments (exit code must be 0).
   *
   * @param args the arguments after {@code qemu-img}
   * @return the result
   */
  public static ToolRunner.Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("qemu-img");
    cmd.addAll(List.of(args));
    return ToolRunner.run(cmd);
  }

  /**
   * Converts any image qemu-img reads into a qcow2 image.
   *
   * @param source the input image (format probed by qemu-img unless it is raw)
   * @param qcow2 the output file
   * @param options version, cluster size, compression
   */
  public static void toQcow2(Path source, Path qcow2, Qcow2Options options) {
    List<String> cmd = new ArrayList<>(List.of("qemu-img", "convert", "-f", probeFormat(source),
        "-O", "qcow2"));
    cmd.addAll(options.convertArgs());
    cmd.add(source.toString());
    cmd.add(qcow2.toString());
    ToolRunner.run(cmd);
  }

  /**
   * Runs {@code qemu-img convert -O raw} (qemu-img's sparse raw output, the reference for ours).
   *
   * @param source the input image
   * @param raw the output file
   */
  public static void convertToRaw(Path source, Path raw) {
    run("convert", "-O", "raw", source.toString(), raw.toString());
  }

  /**
   * Creates an empty image.
   *
   * @param file the file
   * @param format {@code qcow2}, {@code raw}, ...
   * @param sizeBytes the virtual size
   * @param options {@code -o} options, or {@code null}
   */
  public static void create(Path file, String format, long sizeBytes, String options) {
    List<String> cmd = new ArrayList<>(List.of("qemu-img", "create", "-f", format));
    if (options != null) {
      cmd.add("-o");
      cmd.add(options);
    }
    cmd.add(file.toString());
    cmd.add(Long.toString(sizeBytes));
    ToolRunner.run(cmd);
  }

  /**
   * Returns {@code qemu-img info --output=json}.
   *
   * @param image the image
   * @return the JSON text
   */
  public static String info(Path image) {
    return run("info", "--output=json", image.toString()).stdout();
  }

  /**
   * Returns {@code qemu-img info -f FORMAT --output=json}: opens the image as the given format
   * (needed for fixed VHDs, which qemu does not probe: their only signature is the footer).
   *
   * @param image the image
   * @param format the format to open it as, e.g. {@code vpc}
   * @return the JSON text
   */
  public static String info(Path image, String format) {
    return run("info", "-f", format, "--output=json", image.toString()).stdout();
  }

  /**
   * Returns the virtual size qemu-img reports when opening the image as {@code format}.
   *
   * @param image the image
   * @param format the format, e.g. {@code vpc}
   * @return the size in bytes
   */
  public static long virtualSize(Path image, String format) {
    return Long.parseLong(group(VSIZE, info(image, format), image));
  }

  /**
   * Compares two images opened with explicit formats ({@code qemu-img compare -f A -F B}).
   *
   * @param a the first image
   * @param formatA its format
   * @param b the second image
   * @param formatB its format
   * @return true when identical; false when they differ
   */
  public static boolean compare(Path a, String formatA, Path b, String formatB) {
    ToolRunner.Result r = ToolRunner.runAllowingFailure(List.of("qemu-img", "compare", "-f",
        formatA, "-F", formatB, a.toString(), b.toString()), null);
    if (r.exitCode() == 0) {
      return true;
    }
    if (r.exitCode() == 1) {
      return false;
    }
    throw new IllegalStateException(r.describe());
  }

  /**
   * Returns the format qemu-img detects ({@code qcow2}, {@code raw}, {@code vpc}, ...).
   *
   * @param image the image
   * @return the format name
   */
  public static String format(Path image) {
    return group(FORMAT, info(image), image);
  }

  /**
   * Returns the virtual size qemu-img reports.
   *
   * @param image the image
   * @return the size in bytes
   */
  public static long virtualSize(Path image) {
    return Long.parseLong(group(VSIZE, info(image), image));
  }

  /**
   * Returns {@code qemu-img map --output=json} (allocation map).
   *
   * @param image the image
   * @return the JSON text
   */
  public static String map(Path image) {
    return run("map", "--output=json", image.toString()).stdout();
  }

  /**
   * Compares the guest contents of two images with {@code qemu-img compare} (formats probed).
   *
   * @param a the first image
   * @param b the second image
   * @return true when identical; false when they differ
   * @throws IllegalStateException when qemu-img fails (exit code other than 0 or 1)
   */
  public static boolean compare(Path a, Path b) {
    ToolRunner.Result r = ToolRunner.runAllowingFailure(
        List.of("qemu-img", "compare", a.toString(), b.toString()), null);
    if (r.exitCode() == 0) {
      return true;
    }
    if (r.exitCode() == 1) {
      return false;
    }
    throw new IllegalStateException(r.describe());
  }

  /**
   * Runs {@code qemu-io} commands on an image, for example {@code "write -z 1M 2M"} to make qcow2
   * v3 zero clusters or {@code "write -P 0x5a 0 64k"} to write a pattern.
   *
   * @param image the image (format probed)
   * @param commands qemu-io commands, each run with {@code -c}
   */
  public static void qemuIo(Path image, String... commands) {
    List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", probeFormat(image)));
    for (String c : commands) {
      cmd.add("-c");
      cmd.add(c);
    }
    cmd.add(image.toString());
    ToolRunner.run(cmd);
  }

  private static String probeFormat(Path image) {
    return group(FORMAT, info(image), image);
  }

  private static String group(Pattern p, String json, Path image) {
    Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("qemu-img info of " + image + " lacks " + p + ":\n" + json);
    }
    return m.group(1);
  }
}
