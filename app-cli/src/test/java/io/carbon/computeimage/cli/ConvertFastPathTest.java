package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@link ConvertFastPath} reads exactly what picocli reads, hands everything else to picocli, and
 * keeps picocli out of the JVM for a plain {@code convert}.
 */
class ConvertFastPathTest {
  @TempDir Path tmp;

  /** Plain forms: read without picocli, with the meaning picocli gives them. */
  static Stream<List<String>> plainLines() {
    return Stream.of(
        List.of("convert", "in.qcow2", "out.raw"),
        List.of("convert", "--no-sync", "in.qcow2", "out.raw"),
        List.of("convert", "in.qcow2", "out.raw", "--no-sync"),
        List.of("convert", "in.qcow2", "--format", "vhd", "out.img"),
        List.of("convert", "--format=VHD", "in.qcow2", "out.img"),
        List.of("convert", "--format", "Raw", "--no-sync", "-q", "in.qcow2", "out.vhd"),
        List.of("-q", "convert", "in.qcow2", "out.raw"),
        List.of("--quiet", "--stacktrace", "convert", "in.qcow2", "out.raw"),
        List.of("convert", "--stacktrace", "in", "out", "--quiet"),
        List.of("--plugin-dir", "p1", "convert", "--plugin-dir=p2", "in", "out"),
        List.of("convert", "in with space.qcow2", "dir/out.raw"),
        List.of("convert", "convert", "out"),
        List.of("convert", "in", ""));
  }

  /** Everything else: picocli reads it (help, version, errors, unusual forms). */
  static Stream<List<String>> otherLines() {
    return Stream.of(
        List.of("convert"),
        List.of("convert", "in"),
        List.of("convert", "a", "b", "c"),
        List.of("convert", "--help"),
        List.of("convert", "-h", "a", "b"),
        List.of("convert", "-V"),
        List.of("--version"),
        List.of("convert", "--", "a", "b"),
        List.of("convert", "-", "b"),
        List.of("convert", "@args.txt"),
        List.of("convert", "a", "@b"),
        List.of("convert", "--format", "qcow2", "a", "b"),
        List.of("convert", "--format", "raw", "--format", "vhd", "a", "b"),
        List.of("convert", "--format", "a", "b"),
        List.of("convert", "a", "b", "--format"),
        List.of("convert", "--format=", "a", "b"),
        List.of("--format", "raw", "convert", "a", "b"),
        List.of("--no-sync", "convert", "a", "b"),
        List.of("convert", "--no-sync", "--no-sync", "a", "b"),
        List.of("convert", "--no-sync=true", "a", "b"),
        List.of("convert", "-q", "-q", "a", "b"),
        List.of("convert", "-qq", "a", "b"),
        List.of("convert", "--dir", "d", "a", "b"),
        List.of("--dir", "d", "convert", "a", "b"),
        List.of("convert", "--plugin-dir", "a", "b"),
        List.of("convert", "--plugin-dir", "--no-sync", "a", "b"),
        List.of("convert", "--nosync", "a", "b"),
        List.of("Convert", "a", "b"),
        List.of("ls"),
        List.of("pull", "vm", "ubuntu:24.04", "--arch", "amd64"),
        List.of("convert", "a\0b", "c"),
        List.of());
  }

  @ParameterizedTest
  @MethodSource("plainLines")
  void plainLine_readWithoutPicocli_sameAsPicocli(List<String> line) {
    String[] args = line.toArray(new String[0]);
    Optional<ConvertCommand> fast = ConvertFastPath.parse(args);
    assertThat(fast).as("read without picocli: %s", line).isPresent();
    assertThat(reading(fast.get())).isEqualTo(reading(picocli(args)));
  }

  @ParameterizedTest
  @MethodSource("otherLines")
  void otherLine_leftToPicocli(List<String> line) {
    assertThat(ConvertFastPath.parse(line.toArray(new String[0]))).as("%s", line).isEmpty();
  }

  @Test
  void fastAndPicocliRuns_sameOutputAndExitCode() throws Exception {
    Path in = tmp.resolve("in.raw");
    Files.write(in, new byte[1 << 20]);
    Path missing = tmp.resolve("missing.qcow2");
    CliHarness cli = CliHarness.withClassPathPlugins(tmp.resolve("root"));
    for (List<String> tail :
        List.of(
            List.of(missing.toString(), tmp.resolve("x.raw").toString()),
            List.of(in.toString(), tmp.resolve("x.qcow2").toString()),
            List.of(in.toString(), tmp.toString() + "/"),
            List.of(in.toString(), tmp.resolve("ok.vhd").toString()))) {
      List<String> fast = new ArrayList<>(List.of("convert", "-q"));
      fast.addAll(tail);
      // the same line made unreadable to the fast path by an option it does not take: '--'
      List<String> slow = new ArrayList<>(List.of("convert", "-q", "--"));
      slow.addAll(tail);
      assertThat(ConvertFastPath.parse(fast.toArray(new String[0]))).isPresent();
      CliHarness.Result a = cli.run(fast.toArray(new String[0]));
      Files.deleteIfExists(tmp.resolve("ok.vhd"));
      CliHarness.Result b = cli.run(slow.toArray(new String[0]));
      assertThat(a).as("%s", tail).isEqualTo(b);
    }
    assertThat(Files.size(tmp.resolve("ok.vhd"))).isEqualTo((1 << 20) + 512);
  }

  @Test
  void plainConvert_inItsOwnJvm_neverLoadsPicocli() throws Exception {
    Path in = tmp.resolve("in.raw");
    Files.write(in, "some data".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
    Path out = tmp.resolve("out.raw");
    List<String> loaded = classesLoadedBy("convert", "--no-sync", in.toString(), out.toString());
    assertThat(Files.mismatch(in, out)).isEqualTo(-1L);
    assertThat(loaded).contains("io.carbon.computeimage.cli.ConvertFastPath");
    assertThat(loaded).noneMatch(c -> c.startsWith("picocli.CommandLine") && !c.contains("$"));

    // the same JVM set-up does load picocli when the line needs it (the check above is real)
    assertThat(classesLoadedBy("convert", "--help")).contains("picocli.CommandLine");
  }

  private List<String> classesLoadedBy(String... args) throws Exception {
    Path log = Files.createTempFile(tmp, "classes", ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info:file=" + log,
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("process.out").toFile());
    pb.environment().put("HOME", tmp.toString());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(tmp.resolve("process.out"))).isZero();
    List<String> classes = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      String[] words = line.split(" ");
      if (words.length > 1) {
        classes.add(words[1]);
      }
    }
    return classes;
  }

  private static ConvertCommand picocli(String[] args) {
    CliEnvironment env = CliHarness.withClassPathPlugins(Path.of("unused")).env();
    CommandLine cl = ImageCli.commandLine(env, "convert");
    CommandLine.ParseResult pr = cl.parseArgs(ImageCli.commonOptionsAfterCommand(args));
    return (ConvertCommand) pr.subcommand().commandSpec().userObject();
  }

  /** What a parse decided, as comparable values. */
  private static List<Object> reading(ConvertCommand c) {
    return List.of(
        c.in,
        c.outFile,
        String.valueOf(c.format),
        c.noSync,
        c.common.quiet,
        c.common.stacktrace,
        List.copyOf(c.common.pluginDirs));
  }
}
