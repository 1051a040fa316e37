package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.testkit.app.FakeDiskConverter;
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

/** image-cli refusing dangerous or malformed input, with fakes behind the ports. */
final class CliSafetyTest {
  private static final byte[] DISK = "fake qcow2 bytes".getBytes(StandardCharsets.UTF_8);
  @TempDir Path tmp;
  private Path root;
  private CliHarness cli;
  private FakeDiskConverter converter;
  private FakeKernelExtractor kernel;

  @BeforeEach
  void setUp() throws Exception {
    root = tmp.resolve("root");
    FakeDistroCatalog debian =
        new FakeDistroCatalog("debian", "cloud.debian.org")
            .withRelease("12", Set.of(Arch.AMD64, Arch.ARM64), "bookworm");
    FakeDownloader downloader = new FakeDownloader();
    var uri = debian.diskUri(debian.defaultBase(), "12", Arch.AMD64);
    downloader.serve(uri.toString(), DISK);
    debian.publish(uri, Hashes.sha256(DISK));
    converter = new FakeDiskConverter();
    kernel = new FakeKernelExtractor();
    PluginRegistry reg =
        PluginRegistry.of(
            List.of(new FakePlugin("fakes").with(debian).with(downloader).with(converter).with(kernel)),
            new HostInfo(OsFamily.LINUX, Arch.AMD64, false));
    cli = CliHarness.withRegistry(root, reg);
  }

  @Test
  void rmAll_unrelatedDirectory_refused2AndUntouched() throws Exception {
    Path unrelated = Files.createDirectories(tmp.resolve("unrelated/docs"));
    Files.writeString(unrelated.resolve("thesis.txt"), "years of work");
    CliHarness.Result r = cli.run("rm-all", "--dir", tmp.resolve("unrelated").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(tmp.resolve("unrelated").toString()).contains("not a compute-image root");
    assertThat(unrelated.resolve("thesis.txt")).hasContent("years of work");
  }

  @Test
  void rmAll_regularFile_refused2() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    CliHarness.Result r = cli.run("rm-all", "--dir", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("not a directory");
    assertThat(file).exists();
  }

  @Test
  void rmAll_afterPull_removesRoot() {
    assertThat(cli.run("pull", "vm", "debian:12", "--arch", "amd64").code()).isZero();
    assertThat(root.resolve(".compute-image-root")).exists();
    CliHarness.Result r = cli.run("rm-all");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("removed " + root);
    assertThat(root).doesNotExist();

    CliHarness.Result again = cli.run("rm-all");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("nothing to remove").doesNotContain("removed");
  }

  @Test
  void rmAndRmAll_whileAnotherProcessPulls_refused10NothingDeleted() throws Exception {
    assertThat(cli.run("pull", "vm", "debian:12", "--arch", "amd64").code()).isZero();
    Path disk;
    try (var s = Files.walk(root)) {
      disk = s.filter(f -> f.getFileName().toString().equals("disk.img")).findFirst().orElseThrow();
    }
    Path imageDir = disk.getParent();
    io.carbon.computeimage.testkit.lock.OtherProcessLock pull =
        io.carbon.computeimage.testkit.lock.OtherProcessLock.hold(imageDir.resolve(".pull.lock"));
    try {
      CliHarness.Result rm = cli.run("rm", "debian:12");
      assertThat(rm.code()).as(rm.err()).isEqualTo(10);
      assertThat(rm.err()).contains("refusing to remove " + imageDir).contains("pulling this image now")
          .contains("nothing was deleted");
      CliHarness.Result all = cli.run("rm-all");
      assertThat(all.code()).as(all.err()).isEqualTo(10);
      assertThat(all.err()).contains("pulling this image now");
      assertThat(disk).exists();
      assertThat(root.resolve(".compute-image-root")).exists();
    } finally {
      pull.close(); // the holder exits, and its lock goes with it
    }
    CliHarness.Result rm = cli.run("rm", "debian:12");
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(imageDir).doesNotExist();
  }

  @Test
  void relativeDir_pathsPrintedAbsolute() {
    Path cwd = Path.of("").toAbsolutePath();
    CliHarness.Result vm = cli.run("info", "vm", "debian:12", "--arch", "amd64", "--dir", "rel-root", "--json");
    assertThat(vm.out()).contains("\"dir\": \"" + cwd.resolve("rel-root"));
    CliHarness.Result c = cli.run("info", "container", "127.0.0.1:5000/app:1", "--dir", "rel-root", "--json");
    assertThat(c.out()).contains("\"dir\": \"" + cwd.resolve("rel-root"));
    assertThat(cwd.resolve("rel-root")).doesNotExist();
  }

  @Test
  void convert_outputSameFileAsInput_refused2InputIntact() throws Exception {
    Path in = Files.write(tmp.resolve("a.qcow2"), DISK);
    Files.createDirectories(tmp.resolve("sub"));
    Path link = Files.createSymbolicLink(tmp.resolve("link.qcow2"), in);
    for (String out : List.of(in.toString(), tmp.resolve("sub/../a.qcow2").toString(), link.toString())) {
      CliHarness.Result r = cli.run("convert", in.toString(), out);
      assertThat(r.code()).as(out + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("same file as the input");
      assertThat(in).hasBinaryContent(DISK);
    }
    assertThat(converter.conversions()).isZero();
  }

  @Test
  void convert_outputDirectoryOrTrailingSlash_refused2() throws Exception {
    Path in = Files.write(tmp.resolve("a.qcow2"), DISK);
    Path dir = Files.createDirectories(tmp.resolve("outdir"));
    CliHarness.Result r = cli.run("convert", in.toString(), dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("output is a directory").contains(dir.toString());
    CliHarness.Result slash = cli.run("convert", in.toString(), tmp.resolve("new") + "/");
    assertThat(slash.code()).isEqualTo(2);
    assertThat(slash.err()).contains("output is a directory");
    assertThat(tmp.resolve("new")).doesNotExist();
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
  }

  @Test
  void convert_outputDeviceOrFifo_refused2AndLeftAsItIs() throws Exception {
    Path in = Files.write(tmp.resolve("a.qcow2"), DISK);
    Path device = tmp.resolve("mynull");
    Path fifo = tmp.resolve("myfifo");
    run("mknod", "-m", "666", device.toString(), "c", "1", "3");
    run("mkfifo", fifo.toString());
    for (Path out : List.of(device, fifo)) {
      CliHarness.Result r = cli.run("convert", in.toString(), out.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("cannot convert to " + out).contains("refusing to replace it");
    }
    assertThat(cli.run("convert", in.toString(), device.toString()).err()).contains("a character device");
    assertThat(cli.run("convert", in.toString(), fifo.toString()).err()).contains("a fifo");
    assertThat((Integer) Files.getAttribute(device, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) & 0170000)
        .isEqualTo(0020000);
    assertThat((Integer) Files.getAttribute(fifo, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS) & 0170000)
        .isEqualTo(0010000);
    assertThat(converter.conversions()).isZero();
  }

  @Test
  void convert_inputDeviceOrFifo_saysWhatItIs2() throws Exception {
    Path fifo = tmp.resolve("in-fifo");
    run("mkfifo", fifo.toString());
    CliHarness.Result r = cli.run("convert", fifo.toString(), tmp.resolve("x.raw").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("cannot convert " + fifo + ": the input is a fifo, not a disk image file");
    CliHarness.Result dev = cli.run("convert", "/dev/null", tmp.resolve("x.raw").toString());
    assertThat(dev.code()).isEqualTo(2);
    assertThat(dev.err()).contains("the input is a character device").doesNotContain("no such file");
    Path link = Files.createSymbolicLink(tmp.resolve("lnnull"), Path.of("/dev/null"));
    assertThat(cli.run("convert", link.toString(), tmp.resolve("x.raw").toString()).err())
        .contains("the input is a character device");
    assertThat(tmp.resolve("x.raw")).doesNotExist();
  }

  @Test
  void convert_outputSymlink_writtenWhereItPoints_danglingOneRefused() throws Exception {
    Path in = Files.write(tmp.resolve("a.qcow2"), DISK);
    Path real = Files.writeString(Files.createDirectories(tmp.resolve("data")).resolve("disk.raw"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("disk.raw"), real);
    CliHarness.Result r = cli.run("convert", in.toString(), link.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(link).isSymbolicLink();
    assertThat(Files.readSymbolicLink(link)).isEqualTo(real);
    assertThat(Files.readString(real)).isNotEqualTo("old");
    assertThat(converter.conversions()).isEqualTo(1);

    Path loop = Files.createSymbolicLink(tmp.resolve("loop.raw"), tmp.resolve("loop.raw"));
    CliHarness.Result l = cli.run("convert", in.toString(), loop.toString());
    assertThat(l.code()).as(l.err()).isEqualTo(2);
    assertThat(l.err()).contains("leads back to itself");
    Path file = Files.writeString(tmp.resolve("file.img"), "x");
    CliHarness.Result slash = cli.run("convert", in.toString(), file + "/");
    assertThat(slash.code()).isEqualTo(2);
    assertThat(slash.err()).contains(file + " is a file (leave out the '/')");

    Path dangling = Files.createSymbolicLink(tmp.resolve("gone.raw"), tmp.resolve("missing/x.raw"));
    CliHarness.Result d = cli.run("convert", in.toString(), dangling.toString());
    assertThat(d.code()).isEqualTo(2);
    assertThat(d.err()).contains("symbolic link to a missing file");
    assertThat(dangling).isSymbolicLink();
    assertThat(tmp.resolve("missing")).doesNotExist();
  }

  @Test
  void convert_toQcow2Name_refused7NothingWritten() throws Exception {
    Path in = Files.write(tmp.resolve("a.qcow2"), DISK);
    Path out = tmp.resolve("b.qcow2");
    CliHarness.Result r = cli.run("convert", in.toString(), out.toString());
    assertThat(r.code()).isEqualTo(7);
    assertThat(r.err()).contains("cannot convert to " + out).contains("qcow2 is not supported");
    assertThat(out).doesNotExist();
  }

  @Test
  void convert_inputDirectory_saysDirectory2() {
    CliHarness.Result r = cli.run("convert", tmp.toString(), tmp.resolve("x.raw").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("input " + tmp + " is a directory");
  }

  @Test
  void convert_unwritableParent_oneClearLine10() throws Exception {
    Path in = Files.write(tmp.resolve("a.qcow2"), DISK);
    // procfs never accepts new files; nothing is created or deleted there
    CliHarness.Result r = cli.run("convert", in.toString(), "/proc/compute-image-test.raw");
    assertThat(r.code()).isEqualTo(10);
    assertThat(r.err()).contains("cannot write /proc/compute-image-test.raw: parent directory /proc is not writable");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain(".part");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void pullVm_registryPortOutOfRange_invalidInput2NamingIt() {
    CliHarness.Result r = cli.run("pull", "vm", "debian:12", "--arch", "amd64", "--registry", "http://127.0.0.1:99999");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("http://127.0.0.1:99999").contains("port").doesNotContain("unexpected");
  }

  @Test
  void pullVm_registryWithUserInfo_refused2NothingStored() {
    CliHarness.Result r = cli.run("pull", "vm", "debian:12", "--arch", "amd64", "--registry", "http://user:pw@127.0.0.1:8080");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("credentials").doesNotContain("user:pw");
    assertThat(root).doesNotExist();
  }

  @Test
  void ls_dirIsRegularFile_error2() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    CliHarness.Result r = cli.run("ls", "--dir", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(file + " is not a directory");
  }

  @Test
  void pullVm_dirIsRegularFile_oneClearLine2() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    for (Path dir : List.of(file, file.resolve("sub"))) {
      CliHarness.Result r = cli.run("pull", "vm", "debian:12", "--arch", "amd64", "--dir", dir.toString());
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(dir.toString()).contains("is not a directory").doesNotContain("Exception");
    }
    assertThat(file).hasContent("x");
  }
}
