package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.testkit.app.FakeDiskConverter;
import io.carbon.computeimage.ports.disk.Durability;
import io.carbon.computeimage.testkit.app.FakeDistroCatalog;
import io.carbon.computeimage.testkit.app.FakeDownloader;
import io.carbon.computeimage.testkit.app.FakeKernelExtractor;
import io.carbon.computeimage.testkit.app.FakePlugin;
import io.carbon.computeimage.testkit.app.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image-cli in-process with fakes behind the ports: arguments, outputs and exit codes. */
final class ImageCliTest {
  private static final byte[] DISK = "fake qcow2 bytes".getBytes(StandardCharsets.UTF_8);
  @TempDir Path root;
  private CliHarness cli;
  private FakeDownloader downloader;
  private final FakeDiskConverter converter = new FakeDiskConverter();

  @BeforeEach
  void setUp() throws Exception {
    FakeDistroCatalog debian =
        new FakeDistroCatalog("debian", "cloud.debian.org")
            .withRelease("12", Set.of(Arch.AMD64, Arch.ARM64), "bookworm")
            .withRelease("13", Set.of(Arch.AMD64), "trixie");
    downloader = new FakeDownloader();
    var uri = debian.diskUri(debian.defaultBase(), "12", Arch.AMD64);
    downloader.serve(uri.toString(), DISK);
    debian.publish(uri, Hashes.sha256(DISK));
    PluginRegistry reg =
        PluginRegistry.of(
            List.of(new FakePlugin("fakes").with(debian).with(downloader).with(converter).with(new FakeKernelExtractor())),
            new HostInfo(OsFamily.LINUX, Arch.AMD64, false));
    cli = CliHarness.withRegistry(root, reg);
  }

  @Test
  void noArguments_usageError2() {
    CliHarness.Result r = cli.run();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("missing subcommand");
  }

  @Test
  void help_listsCommandsAndExitCodes() {
    CliHarness.Result r = cli.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("pull", "info", "ls", "rm-all", "convert", "Exit codes:", "130");
  }

  @Test
  void pullVm_missingArch_usage2() {
    CliHarness.Result r = cli.run("pull", "vm", "debian:12");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--arch").contains("image-cli pull vm --help");
  }

  @Test
  void pullVm_badArch_invalidInput2NamingIt() {
    CliHarness.Result r = cli.run("pull", "vm", "debian:12", "--arch", "sparc");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("sparc").contains("amd64, arm64");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void pullVm_badImage_invalidInput2() {
    CliHarness.Result r = cli.run("pull", "vm", "debian", "--arch", "amd64");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("'debian'").contains("name:version");
  }

  @Test
  void pullVm_unknownOption_usage2() {
    assertThat(cli.run("pull", "vm", "debian:12", "--arch", "amd64", "--bogus").code()).isEqualTo(2);
  }

  @Test
  void pullVm_unknownDistroVersionArch_notFound3ListingValid() {
    CliHarness.Result d = cli.run("pull", "vm", "gentoo:1", "--arch", "amd64");
    assertThat(d.code()).isEqualTo(3);
    assertThat(d.err()).contains("gentoo").contains("debian");
    CliHarness.Result v = cli.run("pull", "vm", "debian:11", "--arch", "amd64");
    assertThat(v.code()).isEqualTo(3);
    assertThat(v.err()).contains("'11'").contains("12, 13");
    CliHarness.Result a = cli.run("pull", "vm", "debian:13", "--arch", "arm64");
    assertThat(a.code()).isEqualTo(3);
    assertThat(a.err()).contains("arm64").contains("amd64");
  }

  @Test
  void pullVm_then_info_ls_rm_roundTrip() throws Exception {
    CliHarness.Result pull = cli.run("pull", "vm", "debian:bookworm", "--arch", "amd64", "--extract-kernel");
    assertThat(pull.code()).as(pull.err()).isZero();
    Path disk = root.resolve("cloud.debian.org/debian/12/amd64/disk.img");
    assertThat(pull.out()).contains("disk:    " + disk).contains("kernel:  ");
    assertThat(disk).hasBinaryContent(DISK);
    assertThat(pull.err()).contains("resolving debian:bookworm").contains("download ");

    CliHarness.Result info = cli.run("info", "vm", "debian:12", "--arch", "amd64", "--json");
    assertThat(info.code()).isZero();
    assertThat(info.out()).contains("\"status\": \"ready\"").contains("\"disk\": \"" + disk + "\"").contains("\"sourceDigest\": \"sha256:");

    CliHarness.Result ls = cli.run("ls");
    assertThat(ls.code()).isZero();
    assertThat(ls.out()).contains("IMAGE").contains("debian:12").contains("amd64").contains("ready");
    assertThat(ls.out()).doesNotContain("cache");
    CliHarness.Result lsJson = cli.run("ls", "--json", "--dir", root.toString());
    assertThat(lsJson.out()).contains("\"reference\": \"debian:12\"").contains("\"status\": \"ready\"");

    CliHarness.Result rm = cli.run("rm", "debian:bookworm");
    assertThat(rm.code()).isZero();
    assertThat(rm.out()).contains("removed " + disk.getParent());
    assertThat(disk).doesNotExist();
    assertThat(root.resolve("cache/debian-12-amd64.qcow2")).exists();
    assertThat(cli.run("rm", "debian:12").code()).isEqualTo(9);
    assertThat(cli.run("info", "vm", "debian:12", "--arch", "amd64").code()).isEqualTo(9);

    assertThat(cli.run("pull", "vm", "debian:12", "--arch", "amd64", "-q").out().trim()).isEqualTo(disk.toString());
    // the common options may come before the command too
    CliHarness.Result quietFirst = cli.run("-q", "pull", "vm", "debian:12", "--arch", "amd64");
    assertThat(quietFirst.code()).as(quietFirst.err()).isZero();
    assertThat(quietFirst.out().trim()).isEqualTo(disk.toString());
    assertThat(quietFirst.err()).isEmpty();
    CliHarness.Result quietBetween = cli.run("pull", "-q", "vm", "debian:12", "--arch", "amd64");
    assertThat(quietBetween.code()).as(quietBetween.err()).isZero();
    assertThat(quietBetween.out().trim()).isEqualTo(disk.toString());
    CliHarness.Result dirFirst = cli.run("--dir", root.toString(), "ls", "--json");
    assertThat(dirFirst.code()).as(dirFirst.err()).isZero();
    assertThat(dirFirst.out()).contains("\"reference\": \"debian:12\"");
    assertThat(downloader.fetched()).hasSize(1);
    CliHarness.Result all = cli.run("rm-all");
    assertThat(all.code()).isZero();
    assertThat(root).doesNotExist();
  }

  @Test
  void ls_incompletePull_shownAsIncomplete() throws Exception {
    Path dir = Files.createDirectories(root.resolve("cloud.debian.org/debian/12/amd64"));
    Files.write(dir.resolve("disk.img"), new byte[3000]);
    CliHarness.Result ls = cli.run("ls");
    assertThat(ls.out()).contains("debian:12").contains("incomplete").contains("3.0 kB");
    assertThat(dir.resolve(ImageRecordStore.FILE_NAME)).doesNotExist();
  }

  @Test
  void convert_missingInput_notFound3NamingFile() {
    CliHarness.Result r = cli.run("convert", root.resolve("in.qcow2").toString(), root.resolve("out.vhd").toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("in.qcow2");
  }

  @Test
  void convert_flushesByDefault_noSyncAsksForPageCacheDurability() throws Exception {
    Path in = Files.write(root.resolve("in.qcow2"), DISK);
    assertThat(cli.run("convert", in.toString(), root.resolve("a.img").toString()).code()).isZero();
    assertThat(converter.lastDurability()).isEqualTo(Durability.FLUSHED);
    CliHarness.Result r = cli.run("convert", "--no-sync", in.toString(), root.resolve("b.img").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(converter.lastDurability()).isEqualTo(Durability.PAGE_CACHE);
    assertThat(root.resolve("b.img")).hasBinaryContent(DISK);
    assertThat(cli.run("convert", "--help").out()).contains("--no-sync");
  }

  @Test
  void subcommandHelp_andHelpCommand_stillSeeEveryCommand() {
    // execute builds only the subcommand named first; help and unknown names get all of them
    assertThat(cli.run("help", "convert").out()).contains("--format", "--no-sync");
    assertThat(cli.run("help").out()).contains("pull", "info", "ls", "rm-all", "convert", "distros");
    CliHarness.Result unknown = cli.run("conver");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("conver");
    assertThat(ImageCli.commandLine(cli.env(), "convert").getSubcommands()).containsOnlyKeys("convert");
    assertThat(ImageCli.commandLine(cli.env(), "help").getSubcommands())
        .containsKeys("pull", "info", "ls", "rm", "rm-all", "convert", "distros", "help");
  }

  @Test
  void convert_badFormat_usage2() {
    assertThat(cli.run("convert", "a", "b", "--format", "vmdk").code()).isEqualTo(2);
  }

  @Test
  void stacktrace_printsTrace() {
    CliHarness.Result r = cli.run("pull", "vm", "gentoo:1", "--arch", "amd64", "--stacktrace");
    assertThat(r.err()).contains("NotFoundException").contains("\tat ");
    assertThat(cli.run("pull", "vm", "gentoo:1", "--arch", "amd64").err()).doesNotContain("\tat ");
  }

  @Test
  void pluginDir_missing_invalidInput2() {
    CliHarness c = CliHarness.withClassPathPlugins(root);
    CliHarness.Result r = c.run("ls", "--plugin-dir", root.resolve("nope").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope");
  }

  @Test
  void pluginDir_aFile_invalidInput2SaysNotADirectory() throws Exception {
    Path file = Files.writeString(root.resolve("afile"), "not a directory");
    CliHarness.Result r = CliHarness.withClassPathPlugins(root).run("ls", "--plugin-dir", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("plugin directory " + file + " is not a directory")
        .doesNotContain("does not exist");
  }

  @Test
  void rm_emptyReference_invalidInput2() {
    for (String image : List.of("", " ")) {
      CliHarness.Result r = cli.run("rm", image, "--dir", root.toString());
      assertThat(r.code()).as("'" + image + "'").isEqualTo(2);
      assertThat(r.err()).contains("empty image reference").doesNotContain("is not pulled");
    }
  }

  @Test
  void emptyRegistry_refused2InsteadOfTheDefaultMirror() {
    for (String registry : List.of("", " ")) {
      for (String command : List.of("pull", "info")) {
        CliHarness.Result r = cli.run(command, "vm", "debian:12", "--arch", "amd64", "--registry", registry);
        assertThat(r.code()).as(command + " --registry '" + registry + "'").isEqualTo(2);
        assertThat(r.err()).contains("--registry is empty");
      }
    }
    assertThat(cli.run("pull", "vm", "debian:12", "--arch", "amd64", "--registry=").code()).isEqualTo(2);
    assertThat(root.resolve("cloud.debian.org")).doesNotExist();
  }

  @Test
  void convert_misspeltOption_suggestsTheClosest() {
    // the fast path hands the line to picocli, whose own suggestions miss a letter swap
    CliHarness cli = new CliHarness(root, ComputeImageFactory.standard(null));
    CliHarness.Result r = cli.run("convert", "a.qcow2", "b.raw", "--fromat", "vhd");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--fromat' (did you mean '--format'?)");
    assertThat(cli.run("convert", "a.qcow2", "b.raw", "--fromat=vhd").err())
        .contains("(did you mean '--format'?)");
    assertThat(cli.run("convert", "a.qcow2", "b.raw", "--no-snyc").err())
        .contains("(did you mean '--no-sync'?)");
  }

  @Test
  void convert_diskFull_localStorage10WithoutJavaClassNames() throws Exception {
    byte[] data = new byte[4 << 20];
    new java.util.Random(3).nextBytes(data);
    Path in = Files.write(root.resolve("in.raw"), data);
    Path small = Files.createDirectories(root.resolve("small"));
    run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString()); // the tests run as root
    try {
      CliHarness.Result r = CliHarness.withClassPathPlugins(root)
          .run("convert", in.toString(), small.resolve("out.raw").toString());
      assertThat(r.code()).as(r.err()).isEqualTo(10);
      assertThat(r.err()).contains("failed: no space left on device").doesNotContain("java.", "Exception");
      assertThat(small.resolve("out.raw")).doesNotExist();
    } finally {
      run("umount", small.toString());
    }
  }

  @Test
  void unreadableInputAndRoots_permissionDeniedNamingThePath() throws Exception {
    // another user's files, read by root without its permission override (CliProcess)
    Path in = Files.write(root.resolve("u.qcow2"), CdsTraining.qcow2Image());
    Path noperm = Files.createDirectories(root.resolve("noperm"));
    Files.createDirectories(noperm.resolve("sub"));
    for (Path p : List.of(in, noperm)) {
      Files.setAttribute(p, "unix:uid", 65534);
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
    CliProcess convert = CliProcess.startWithoutPermissionOverride(
        root, "convert", "convert", in.toString(), root.resolve("out.raw").toString());
    assertThat(convert.waitFor(60)).as(convert.err()).isEqualTo(10);
    assertThat(convert.err().strip()).isEqualTo("image-cli: cannot read disk image " + in + ": permission denied");

    CliProcess ls = CliProcess.startWithoutPermissionOverride(root, "ls", "ls", "--dir", noperm.toString());
    assertThat(ls.waitFor(60)).as(ls.err()).isEqualTo(10);
    assertThat(ls.err().strip()).isEqualTo("image-cli: cannot read " + noperm + ": permission denied");

    // below a directory that cannot be searched: not "no images"
    Path sub = noperm.resolve("sub");
    CliProcess lsSub = CliProcess.startWithoutPermissionOverride(root, "ls-sub", "ls", "--dir", sub.toString());
    assertThat(lsSub.waitFor(60)).as(lsSub.err()).isEqualTo(10);
    assertThat(lsSub.err().strip()).isEqualTo("image-cli: cannot read " + sub + ": permission denied");
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  @Test
  void commonOptionsBeforeTheCommand_movedBehindIt() {
    assertThat(ImageCli.commonOptionsAfterCommand(
        new String[] {"-q", "--plugin-dir", "/p", "--stacktrace", "pull", "vm", "x"}))
        .containsExactly("pull", "vm", "-q", "--plugin-dir", "/p", "--stacktrace", "x");
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"--plugin-dir=/p", "ls", "--", "y"}))
        .containsExactly("ls", "--plugin-dir=/p", "--", "y");
    // between the command words, and --dir before the command
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"pull", "-q", "vm", "x", "--arch", "amd64"}))
        .containsExactly("pull", "vm", "-q", "x", "--arch", "amd64");
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"--dir", "/d", "info", "--quiet", "container", "r"}))
        .containsExactly("info", "container", "--dir", "/d", "--quiet", "r");
    // after the command words, or no command: unchanged
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"ls", "-q"}))
        .containsExactly("ls", "-q");
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"pull", "vm", "-q", "x"}))
        .containsExactly("pull", "vm", "-q", "x");
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"-q"})).containsExactly("-q");
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"--version"}))
        .containsExactly("--version");
    // an unknown first word is taken as the (unknown) command: what follows is left to the parser
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"-q", "pul", "vm"}))
        .containsExactly("pul", "-q", "vm");
    assertThat(ImageCli.commonOptionsAfterCommand(new String[] {"-q", "--help"}))
        .containsExactly("-q", "--help");
  }

  @Test
  void misspelledOrMissingCommandWords_sayWhatWasExpectedAndTheClosestName() {
    CliHarness cli = new CliHarness(root, ComputeImageFactory.standard(null));
    CliHarness.Result typo = cli.run("-q", "pul", "vm", "debian:12");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown command 'pul' (did you mean 'pull'?)")
        .contains("the commands are pull, info, ls, rm, rm-all, convert, distros");
    CliHarness.Result noKind = cli.run("pull", "ubuntu:24.04", "--arch", "amd64");
    assertThat(noKind.code()).isEqualTo(2);
    assertThat(noKind.err())
        .contains("'pull' needs vm or container before 'ubuntu:24.04': image-cli pull vm ... or image-cli pull container ...")
        .doesNotContain("did you mean");
    assertThat(cli.run("info", "vmm", "x").err()).contains("(did you mean 'vm'?)");
    CliHarness.Result option = cli.run("pull", "vm", "debian:12", "--arch", "amd64", "--extract-kernal");
    assertThat(option.code()).isEqualTo(2);
    assertThat(option.err()).contains("Unknown option: '--extract-kernal' (did you mean '--extract-kernel'?)");
  }

  @Test
  void unpublishedArch_resolvedWithoutTheMirror_notFound3ListingTheArches() throws Exception {
    io.carbon.computeimage.application.ComputeImage images =
        io.carbon.computeimage.application.ComputeImage.builder().rootDir(root).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> images.resolveVmPaths(
            io.carbon.computeimage.domain.vm.VmRef.of("arch:latest", "arm64")))
        .isInstanceOf(io.carbon.computeimage.ports.error.NotFoundException.class)
        .hasMessageContaining("has no arm64 cloud image: valid architectures are amd64");
    CliHarness cli = new CliHarness(root, ComputeImageFactory.standard(null));
    CliHarness.Result info = cli.run("info", "vm", "arch:latest", "--arch", "arm64");
    assertThat(info.code()).isEqualTo(3);
    assertThat(info.err()).contains("valid architectures are amd64");
    assertThat(images.resolveVmPaths(io.carbon.computeimage.domain.vm.VmRef.of("debian:12", "arm64")).dir()
        .endsWith(java.nio.file.Path.of("debian", "12", "arm64"))).isTrue();
  }

  @Test
  void unknownOptions_namedAloneWithTheClosestOption_evenWhenARequiredOneIsMissing() throws Exception {
    CliHarness cli = new CliHarness(root, ComputeImageFactory.standard(null));
    // a misspelt required option: the misspelling is the error, not the option it failed to give
    CliHarness.Result arch = cli.run("pull", "vm", "debian:12", "--arhc", "amd64");
    assertThat(arch.code()).isEqualTo(2);
    assertThat(arch.err()).contains("Unknown option: '--arhc' (did you mean '--arch'?)")
        .doesNotContain("Missing required");
    assertThat(cli.run("info", "vm", "debian:12", "--arch=amd64", "--dri", "x").err())
        .contains("Unknown option: '--dri' (did you mean '--dir'?)");
    // an option's value that looks like an option is its value, not an unknown option
    assertThat(cli.run("pull", "vm", "debian:12", "--dir", "-odd").err())
        .contains("Missing required option: '--arch=<arch>'");
    // before the command: the options every command takes are suggested too
    CliHarness.Result top = cli.run("--dri", "x", "ls");
    assertThat(top.code()).isEqualTo(2);
    assertThat(top.err()).contains("Unknown option: '--dri' (did you mean '--dir'?)")
        .doesNotContain("'x'");
    // an option moved from before the command to one that does not take it: said so, without
    // listing the words that picocli then took for positional parameters
    java.nio.file.Path in = root.resolve("a.qcow2");
    java.nio.file.Files.createDirectories(root);
    java.nio.file.Files.write(in, CdsTraining.qcow2Image());
    CliHarness.Result moved = cli.run("--dir", root.toString(), "convert", in.toString(), "b.raw");
    assertThat(moved.code()).isEqualTo(2);
    assertThat(moved.err()).contains("Unknown option: '--dir' ('image-cli convert' does not take --dir)")
        .doesNotContain("b.raw");
  }

  @Test
  void enumOptions_anyCase() {
    CliHarness cli = new CliHarness(root, ComputeImageFactory.standard(null));
    picocli.CommandLine.ParseResult pr = ImageCli.commandLine(cli.env(), "convert")
        .parseArgs("convert", "in.qcow2", "out.img", "--format", "VHD");
    Object format = pr.subcommand().matchedOptionValue("--format", null);
    assertThat(format).hasToString("vhd");
  }

  @Test
  void distros_archColumnAligned() {
    CliHarness.Result r = CliHarness.withClassPathPlugins(root).run("distros");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> releases = r.out().lines().filter(l -> l.startsWith("  ")).toList();
    assertThat(releases).hasSizeGreaterThan(20).anyMatch(l -> l.contains("24.04 (noble)"));
    assertThat(releases.stream().map(l -> l.indexOf("amd64")).distinct()).hasSize(1);
  }

  @Test
  void edgesOfTheCommandLine_clearMessages() {
    CliHarness cli = new CliHarness(root, ComputeImageFactory.standard(null));
    CliHarness.Result alone = cli.run("-q");
    assertThat(alone.code()).isEqualTo(2);
    assertThat(alone.err()).contains("a command is needed with -q; the commands are pull, info");
    assertThat(cli.run("pull", "-q").err())
        .contains("'pull' needs vm or container: image-cli pull vm ... or image-cli pull container ...");
    // no suggestion of the very word given
    CliHarness.Result dashes = cli.run("--", "ls");
    assertThat(dashes.code()).isEqualTo(2);
    assertThat(dashes.err()).contains("unknown command 'ls'").doesNotContain("did you mean");
    // options before help are dropped, not taken for a help topic
    CliHarness.Result help = cli.run("--dir", root.toString(), "help");
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).contains("Usage: image-cli");
    // an empty --dir is refused instead of meaning the current directory
    for (String[] args : List.of(new String[] {"--dir=", "ls"}, new String[] {"ls", "--dir", ""},
        new String[] {"info", "vm", "debian:12", "--arch", "amd64", "--dir="})) {
      CliHarness.Result empty = cli.run(args);
      assertThat(empty.code()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(empty.err()).contains("--dir is empty");
    }
    // subcommands print the version too
    CliHarness.Result version = cli.run("ls", "--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).contains("image-cli 0.1.0");
  }

  @Test
  void close_editDistanceScaledToTheWord() {
    assertThat(ImageCli.close("pul", "pull")).isTrue();
    assertThat(ImageCli.close("--extract-kernal", "--extract-kernel")).isTrue();
    assertThat(ImageCli.close("ubuntu:24.04", "container")).isFalse();
    assertThat(ImageCli.close("xyz", "ls")).isFalse();
  }
}
