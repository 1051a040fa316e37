package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bash launcher {@code ./image-cli}, copied into a scratch tree whose {@code
 * app-cli/target/image-cli.jar} is {@link LauncherProbe} (and marked built, so no Maven runs):
 * default JVM options when {@code JAVA_OPTS} is unset, a UTF-8 locale when the caller's is not,
 * and the class-data sharing archive (made once per build, used at every start, never retried at
 * every start when it cannot be made).
 */
@EnabledOnOs(OS.LINUX)
final class LauncherScriptTest {
  @TempDir Path tree;
  @TempDir Path files;
  private Path launcher;

  @BeforeEach
  void setUp() throws Exception {
    launcher = tree.resolve("image-cli");
    Files.copy(repoLauncher(), launcher);
    launcher.toFile().setExecutable(true);
    Path target = Files.createDirectories(tree.resolve("app-cli/target"));
    writeProbeJar(target.resolve("image-cli.jar"));
    Path stamp = Files.writeString(target.resolve(".image-cli.built"), "");
    Files.setLastModifiedTime(stamp, FileTime.from(Instant.now().plusSeconds(3600)));
  }

  private static Path repoLauncher() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("image-cli")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p.resolve("image-cli");
      }
    }
    throw new AssertionError("image-cli launcher not found above " + Path.of("").toAbsolutePath());
  }

  private static void writeProbeJar(Path jar) throws IOException, URISyntaxException {
    String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
    Path classes = Path.of(LauncherProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os, mf)) {
      out.putNextEntry(new JarEntry(entry));
      out.write(Files.readAllBytes(classes.resolve(entry)));
      out.closeEntry();
    }
  }

  /** Runs the launcher with a clean locale environment plus {@code env}; returns the probe's output. */
  private String run(Map<String, String> env, String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of(files.toString()));
    all.addAll(List.of(args));
    return runAsIs(env, all.toArray(String[]::new));
  }

  /** As {@link #run} without the probe's directory first (the probe then skips its file test). */
  private String runAsIs(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(launcher.toString());
    pb.command().addAll(List.of(args));
    Map<String, String> e = pb.environment();
    e.keySet().removeIf(k -> k.equals("LANG") || k.equals("LANGUAGE") || k.startsWith("LC_") || k.equals("JAVA_OPTS"));
    e.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
    e.putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void javaOptsUnset_serialGcAnd256mHeap() throws Exception {
    String out = run(Map.of(), "--version");
    assertThat(out).contains("-XX:+UseSerialGC").contains("-Xmx256m").contains("args=[--version]");
    assertThat(out).contains("MarkSweepCompact");
    // C1 alone: commands start faster, and pull hashes with libcrypto (the machine has it)
    assertThat(out).contains("-XX:TieredStopAtLevel=1");
    String pull = runAsIs(Map.of(), "pull", "vm", "debian:12");
    assertThat(pull).contains("-XX:+UseSerialGC").contains("-Xmx256m").contains("-XX:TieredStopAtLevel=1");
    // without libcrypto's digests, pull keeps C2 (the JDK's SHA-256 is fast only there)
    Map<String, String> noNative = Map.of("IMAGE_CLI_NATIVE_DIGEST", "0");
    assertThat(runAsIs(noNative, "pull", "vm", "debian:12")).doesNotContain("TieredStopAtLevel");
    // the options allowed before the command do not hide it
    assertThat(runAsIs(noNative, "-q", "--dir", "/tmp/x", "--plugin-dir=/p", "pull", "vm", "debian:12"))
        .doesNotContain("TieredStopAtLevel");
    assertThat(runAsIs(noNative, "--dir", "pull", "ls")).contains("-XX:TieredStopAtLevel=1");
  }

  @Test
  void javaOptsSet_usedInstead_evenWhenEmpty() throws Exception {
    assertThat(run(Map.of("JAVA_OPTS", "-Xmx300m"), "--version"))
        .contains("-Xmx300m")
        .doesNotContain("-Xmx256m")
        .doesNotContain("UseSerialGC");
    assertThat(run(Map.of("JAVA_OPTS", ""), "--version")).contains("jvmArgs=[]");
  }

  @Test
  void noLocale_switchesToCUtf8_nonAsciiNamesRoundTrip() throws Exception {
    String out = run(Map.of(), "--version");
    assertThat(out).contains("LC_ALL=C.UTF-8").contains("jnu=UTF-8").contains("roundTrip=ok");
  }

  @Test
  void lcAllC_switchesToCUtf8_nonAsciiNamesRoundTrip() throws Exception {
    String out = run(Map.of("LC_ALL", "C"), "--version");
    assertThat(out).contains("LC_ALL=C.UTF-8").contains("jnu=UTF-8").contains("roundTrip=ok");
    assertThat(run(Map.of("LANG", "C"), "--version")).contains("roundTrip=ok");
  }

  @Test
  void utf8LocaleAlready_leftAlone() throws Exception {
    String out = run(Map.of("LANG", "C.UTF-8"), "--version");
    assertThat(out).contains("LC_ALL=null").contains("jnu=UTF-8").contains("roundTrip=ok");
  }

  @Test
  void realCli_archiveMadeOnce_thenClassesComeFromIt() throws Exception {
    Path target = tree.resolve("app-cli/target");
    writeCliJar(target.resolve("image-cli.jar"));
    // built an hour ago (the tree has no sources, so no build starts)
    Files.setLastModifiedTime(target.resolve(".image-cli.built"), FileTime.from(Instant.now().minusSeconds(3600)));
    Path archive = target.resolve("image-cli.jsa");
    assertThat(runAsIs(Map.of(), "--version")).isEqualTo("image-cli 0.1.0\n");
    assertThat(archive).isRegularFile();
    FileTime made = Files.getLastModifiedTime(archive);

    String loading = runAsIs(Map.of("JAVA_OPTS", "-Xlog:class+load=info"), "--version");
    // the jar's classes and those of a jar of its Class-Path (ports)
    assertThat(loading).containsPattern("io\\.carbon\\.computeimage\\.cli\\.Main source: shared objects file")
        .containsPattern("io\\.carbon\\.computeimage\\.ports\\.error\\.ComputeImageException source: shared objects file");
    if (Runtime.version().feature() <= 17) {
      // picocli's classes are Java 5 class files: JDK 17 archives them, JDK 25 skips them at
      // dump time ("Old class has been linked") and loads them from the jar, which still works
      assertThat(loading).containsPattern("picocli\\.CommandLine source: shared objects file");
    }
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);

    // turned off: the same start reads the classes from the jars
    assertThat(runAsIs(Map.of("JAVA_OPTS", "-Xlog:class+load=info", "IMAGE_CLI_CDS", "0"), "--version"))
        .doesNotContain("shared objects file: io.carbon").containsPattern("cli\\.Main source: (file|jar)");
  }

  @Test
  void archiveCannotBeMade_markedFailed_notRetriedAtEveryStart() throws Exception {
    // the probe jar has no training class: the archive cannot be made
    run(Map.of(), "--version");
    Path target = tree.resolve("app-cli/target");
    assertThat(target.resolve("image-cli.jsa")).doesNotExist();
    Path failed = target.resolve("image-cli.jsa.failed");
    assertThat(failed).isRegularFile();
    Files.setLastModifiedTime(failed, FileTime.from(Instant.now().plusSeconds(7200)));
    FileTime marked = Files.getLastModifiedTime(failed);
    assertThat(run(Map.of(), "--version")).doesNotContain("SharedArchiveFile");
    assertThat(Files.getLastModifiedTime(failed)).isEqualTo(marked);
  }

  /**
   * A jar of the CLI's classes whose manifest names the test class path's jars through links in
   * {@code lib/} (the archive needs jars, not directories), as the build's thin jar names them.
   */
  private static void writeCliJar(Path jar) throws IOException, URISyntaxException {
    Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    // relative entries, as the archive needs (it takes a file: URL for a relative path)
    Path lib = Files.createDirectories(jar.resolveSibling("lib"));
    List<String> classPath = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.endsWith(".jar")) {
        String name = classPath.size() + "-" + Path.of(e).getFileName();
        Files.createSymbolicLink(lib.resolve(name), Path.of(e).toAbsolutePath());
        classPath.add("lib/" + name);
      }
    }
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    List<Path> files;
    try (var walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os, mf)) {
      for (Path f : files) {
        String name = classes.relativize(f).toString().replace(java.io.File.separatorChar, '/');
        if (name.startsWith("META-INF/MANIFEST.MF")) {
          continue;
        }
        out.putNextEntry(new JarEntry(name));
        out.write(Files.readAllBytes(f));
        out.closeEntry();
      }
    }
  }
}
