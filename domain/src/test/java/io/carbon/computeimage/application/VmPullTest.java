package io.carbon.computeimage.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.domain.image.ImageRecordStore;
import io.carbon.computeimage.domain.image.ImageStatus;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.domain.vm.VmPaths;
import io.carbon.computeimage.domain.vm.VmRef;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.ErrorKind;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.testkit.app.FakeDiskConverter;
import io.carbon.computeimage.testkit.app.FakeDistroCatalog;
import io.carbon.computeimage.testkit.app.FakeDownloader;
import io.carbon.computeimage.testkit.app.FakeKernelExtractor;
import io.carbon.computeimage.testkit.app.FakePlugin;
import io.carbon.computeimage.testkit.app.Hashes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VM pull pipeline through the facade, with in-memory fakes of every port. */
final class VmPullTest {
  private static final HostInfo LINUX = new HostInfo(OsFamily.LINUX, Arch.AMD64, false);
  private static final HostInfo WINDOWS = new HostInfo(OsFamily.WINDOWS, Arch.AMD64, false);
  private static final byte[] IMAGE_V1 = "qcow2 build one".getBytes(StandardCharsets.UTF_8);
  private static final byte[] IMAGE_V2 = "qcow2 build two".getBytes(StandardCharsets.UTF_8);

  @TempDir Path root;
  private FakeDistroCatalog ubuntu;
  private FakeDownloader downloader;
  private FakeDiskConverter converter;
  private FakeKernelExtractor kernel;
  private final List<String> notes = new ArrayList<>();

  @BeforeEach
  void setUp() {
    ubuntu =
        new FakeDistroCatalog("ubuntu", "cloud-images.ubuntu.com")
            .withRelease("24.04", Set.of(Arch.AMD64, Arch.ARM64), "noble")
            .withRelease("22.04", Set.of(Arch.AMD64), "jammy");
    downloader = new FakeDownloader();
    converter = new FakeDiskConverter();
    kernel = new FakeKernelExtractor();
    publish(ubuntu.defaultBase().toString(), IMAGE_V1);
  }

  private void publish(String base, byte[] data) {
    var uri = ubuntu.diskUri(java.net.URI.create(base), "24.04", Arch.AMD64);
    downloader.serve(uri.toString(), data);
    ubuntu.publish(uri, Hashes.sha256(data));
  }

  private ComputeImage images(HostInfo host, boolean withKernel) throws Exception {
    FakePlugin plugin = new FakePlugin("fakes").with(ubuntu).with(downloader).with(converter);
    if (withKernel) {
      plugin.with(kernel);
    }
    return ComputeImage.builder()
        .rootDir(root)
        .pluginRegistry(PluginRegistry.of(List.of(plugin), host))
        .clock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC))
        .progressListener(
            new ProgressListener() {
              @Override
              public void note(String message) {
                synchronized (notes) {
                  notes.add(message);
                }
              }
            })
        .build();
  }

  @Test
  void pull_fresh_downloadsConvertsAndRecords() throws Exception {
    ComputeImage images = images(LINUX, false);
    PulledImage img = images.pull(VmRef.of("ubuntu:noble", "amd64"));
    VmPaths paths = ComputeImage.vmPathsFromImage(img);

    assertThat(paths).isEqualTo(images.resolveVmPaths(VmRef.of("ubuntu:24.04", "amd64")));
    assertThat(paths.disk()).isEqualTo(root.resolve("cloud-images.ubuntu.com/ubuntu/24.04/amd64/disk.img"));
    assertThat(paths.disk()).hasBinaryContent(IMAGE_V1);
    assertThat(paths.cache()).isEqualTo(root.resolve("cache/ubuntu-24.04-amd64.qcow2"));
    assertThat(paths.cache()).hasBinaryContent(IMAGE_V1);
    assertThat(paths.kernel()).isEmpty();
    assertThat(img.reference()).isEqualTo("ubuntu:24.04");
    assertThat(img.record().pulledAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(img.record().attribute("sourceDigest")).contains(Hashes.sha256(IMAGE_V1).toString());
    assertThat(paths.dir().resolve(ImageRecordStore.FILE_NAME)).exists();
    assertThat(downloader.fetched()).hasSize(1);
    assertThat(converter.conversions()).isEqualTo(1);
    assertThat(images.findVm(VmRef.of("ubuntu:24.04", "amd64"))).contains(img);
  }

  @Test
  void pull_again_upToDate_noDownloadNoConversion() throws Exception {
    ComputeImage images = images(LINUX, false);
    images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    images.pull(VmRef.of("ubuntu:noble", "amd64"));
    assertThat(downloader.fetched()).hasSize(1);
    assertThat(converter.conversions()).isEqualTo(1);
    assertThat(notes).anyMatch(n -> n.contains("up to date"));
  }

  @Test
  void pull_upstreamChanged_fetchesAgainAndReconverts() throws Exception {
    ComputeImage images = images(LINUX, false);
    images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    publish(ubuntu.defaultBase().toString(), IMAGE_V2);
    PulledImage img = images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    assertThat(downloader.fetched()).hasSize(2);
    assertThat(ComputeImage.vmPathsFromImage(img).disk()).hasBinaryContent(IMAGE_V2);
    assertThat(img.record().attribute("sourceDigest")).contains(Hashes.sha256(IMAGE_V2).toString());
  }

  @Test
  void pull_afterRemove_reusesVerifiedCache() throws Exception {
    ComputeImage images = images(LINUX, false);
    VmRef ref = VmRef.of("ubuntu:24.04", "amd64");
    images.pull(ref);
    assertThat(images.remove(ref)).isTrue();
    assertThat(images.resolveVmPaths(ref).dir()).doesNotExist();
    assertThat(images.resolveVmPaths(ref).cache()).exists();
    images.pull(ref);
    assertThat(downloader.fetched()).hasSize(1);
    assertThat(converter.conversions()).isEqualTo(2);
    assertThat(notes).anyMatch(n -> n.contains("using cached"));
  }

  @Test
  void pull_windows_writesDiskVhd() throws Exception {
    PulledImage img = images(WINDOWS, false).pull(VmRef.of("ubuntu:24.04", "amd64"));
    assertThat(ComputeImage.vmPathsFromImage(img).disk().getFileName().toString()).isEqualTo("disk.vhd");
    assertThat(img.record().attribute("diskFormat")).contains("VHD_FIXED");
  }

  @Test
  void pull_extractKernel_routesToExtractorWithRawDisk() throws Exception {
    ComputeImage images = images(LINUX, true);
    PulledImage img = images.pull(VmRef.builder().image("ubuntu:24.04").arch("amd64").extractKernel(true).build());
    VmPaths paths = ComputeImage.vmPathsFromImage(img);
    assertThat(kernel.inputs()).containsExactly(paths.disk());
    assertThat(paths.kernel()).hasValueSatisfying(k -> assertThat(k).hasContent("kernel"));
    assertThat(paths.initrd()).isPresent();
    assertThat(img.record().attribute("commandLine")).contains("root=/dev/vda1 ro");
  }

  @Test
  void pull_extractKernelLater_extractsWithoutDownloading() throws Exception {
    ComputeImage images = images(LINUX, true);
    images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    images.pull(VmRef.builder().image("ubuntu:24.04").arch("amd64").extractKernel(true).build());
    assertThat(downloader.fetched()).hasSize(1);
    assertThat(converter.conversions()).isEqualTo(1);
    assertThat(kernel.inputs()).hasSize(1);
  }

  @Test
  void pull_extractKernelWithoutExtractor_failsBeforeDownload() throws Exception {
    ComputeImage images = images(LINUX, false);
    assertThatThrownBy(
            () -> images.pull(VmRef.builder().image("ubuntu:24.04").arch("amd64").extractKernel(true).build()))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("kernel extractor");
    assertThat(downloader.fetched()).isEmpty();
  }

  @Test
  void pull_mirrorOverride_storesUnderMirrorHost() throws Exception {
    publish("http://127.0.0.1:9999/m", IMAGE_V2);
    PulledImage img =
        images(LINUX, false)
            .pull(VmRef.builder().image("ubuntu:24.04").arch("amd64").registry("http://127.0.0.1:9999/m").build());
    assertThat(img.dir()).isEqualTo(root.resolve("127.0.0.1:9999/ubuntu/24.04/amd64"));
    assertThat(img.record().registry()).isEqualTo("127.0.0.1:9999");
    assertThat(ComputeImage.vmPathsFromImage(img).disk()).hasBinaryContent(IMAGE_V2);
  }

  @Test
  void pull_refDir_overridesRoot(@TempDir Path other) throws Exception {
    PulledImage img = images(LINUX, false).pull(VmRef.of("ubuntu:24.04", "amd64").withDir(other));
    assertThat(img.dir()).startsWith(other);
    assertThat(other.resolve("cache/ubuntu-24.04-amd64.qcow2")).exists();
  }

  @Test
  void pull_unknownDistro_listsKnownOnes() throws Exception {
    assertThatThrownBy(() -> images(LINUX, false).pull(VmRef.of("gentoo:1", "amd64")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("gentoo")
        .hasMessageContaining("ubuntu");
  }

  @Test
  void pull_unknownArch_listsValidOnes() throws Exception {
    assertThatThrownBy(() -> images(LINUX, false).pull(VmRef.of("ubuntu:22.04", "arm64")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("arm64")
        .hasMessageContaining("amd64");
  }

  @Test
  void pull_digestMismatch_leavesNoReadyImage() throws Exception {
    ComputeImage images = images(LINUX, false);
    var uri = ubuntu.diskUri(ubuntu.defaultBase(), "24.04", Arch.AMD64);
    ubuntu.publish(uri, Hashes.sha256(IMAGE_V2)); // mirror says V2, serves V1
    assertThatThrownBy(() -> images.pull(VmRef.of("ubuntu:24.04", "amd64")))
        .isInstanceOf(DigestMismatchException.class)
        .satisfies(e -> assertThat(((DigestMismatchException) e).kind()).isEqualTo(ErrorKind.INTEGRITY));
    assertThat(images.findVm(VmRef.of("ubuntu:24.04", "amd64"))).isEmpty();
  }

  @Test
  void pull_firstPullFails_noImageDirectoryNothingListed() throws Exception {
    ComputeImage images = images(LINUX, false);
    VmRef ref = VmRef.of("ubuntu:24.04", "amd64");
    var uri = ubuntu.diskUri(ubuntu.defaultBase(), "24.04", Arch.AMD64);
    ubuntu.publish(uri, Hashes.sha256(IMAGE_V2)); // mirror says V2, serves V1
    assertThatThrownBy(() -> images.pull(ref)).isInstanceOf(DigestMismatchException.class);
    assertThat(images.resolveVmPaths(ref).dir()).doesNotExist();
    assertThat(root.resolve("cloud-images.ubuntu.com")).doesNotExist();
    assertThat(images.list()).isEmpty();

    publish(ubuntu.defaultBase().toString(), IMAGE_V1);
    converter.failWith(new MalformedImageException("bad L1 table in test.qcow2"));
    assertThatThrownBy(() -> images.pull(ref)).isInstanceOf(MalformedImageException.class);
    assertThat(root.resolve("cloud-images.ubuntu.com")).doesNotExist();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void pull_firstPullFails_keepsDirectoriesItDidNotCreate() throws Exception {
    ComputeImage images = images(LINUX, false);
    VmRef ref = VmRef.of("ubuntu:24.04", "amd64");
    Path dir = images.resolveVmPaths(ref).dir();
    Files.createDirectories(dir.getParent());
    Files.writeString(dir.getParent().resolve("notes.txt"), "mine");
    converter.failWith(new MalformedImageException("bad L1 table in test.qcow2"));
    assertThatThrownBy(() -> images.pull(ref)).isInstanceOf(MalformedImageException.class);
    assertThat(dir).doesNotExist();
    assertThat(dir.getParent().resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void pull_conversionFailsAfterEarlierPull_oldRecordRemovedNotReady() throws Exception {
    ComputeImage images = images(LINUX, false);
    VmRef ref = VmRef.of("ubuntu:24.04", "amd64");
    images.pull(ref);
    publish(ubuntu.defaultBase().toString(), IMAGE_V2);
    converter.failWith(new MalformedImageException("bad L1 table in test.qcow2"));
    assertThatThrownBy(() -> images.pull(ref)).isInstanceOf(MalformedImageException.class);
    assertThat(images.findVm(ref)).isEmpty();
    List<StoredImage> listed = images.list();
    assertThat(listed).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(ImageStatus.INCOMPLETE));
  }

  @Test
  void pull_cancelled_throwsCancelled() throws Exception {
    AtomicBoolean cancel = new AtomicBoolean(true);
    ComputeImage images =
        ComputeImage.builder()
            .rootDir(root)
            .cancellation(cancel::get)
            .pluginRegistry(PluginRegistry.of(List.of(new FakePlugin("f").with(ubuntu).with(downloader).with(converter)), LINUX))
            .build();
    assertThatThrownBy(() -> images.pull(VmRef.of("ubuntu:24.04", "amd64")))
        .isInstanceOf(CancelledException.class);
    assertThat(downloader.fetched()).isEmpty();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void pull_concurrentSameImage_oneDownloadBothSucceed() throws Exception {
    ComputeImage images = images(LINUX, false);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<PulledImage>> fs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        fs.add(pool.submit(() -> images.pull(VmRef.of("ubuntu:24.04", "amd64"))));
      }
      for (Future<PulledImage> f : fs) {
        assertThat(ComputeImage.vmPathsFromImage(f.get()).disk()).hasBinaryContent(IMAGE_V1);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(downloader.fetched()).hasSize(1);
    assertThat(converter.conversions()).isEqualTo(1);
  }

  @Test
  void list_andRemoveMatching_allArchesKeepCache() throws Exception {
    var arm = ubuntu.diskUri(ubuntu.defaultBase(), "24.04", Arch.ARM64);
    downloader.serve(arm.toString(), IMAGE_V2);
    ubuntu.publish(arm, Hashes.sha256(IMAGE_V2));
    ComputeImage images = images(LINUX, false);
    images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    images.pull(VmRef.of("ubuntu:24.04", "arm64"));

    List<StoredImage> listed = images.list();
    assertThat(listed).extracting(StoredImage::reference).containsExactly("ubuntu:24.04", "ubuntu:24.04");
    assertThat(listed).extracting(StoredImage::platform).containsExactly("amd64", "arm64");
    assertThat(listed).allSatisfy(s -> assertThat(s.status()).isEqualTo(ImageStatus.READY));
    assertThat(listed.get(0).sizeBytes()).isGreaterThanOrEqualTo(IMAGE_V1.length);

    assertThat(images.removeMatching("ubuntu:noble", Optional.of(Arch.ARM64), root)).hasSize(1);
    assertThat(images.list()).extracting(StoredImage::platform).containsExactly("amd64");
    assertThat(images.removeMatching("ubuntu:noble", Optional.empty(), root)).hasSize(1);
    assertThat(images.list()).isEmpty();
    assertThat(root.resolve("cloud-images.ubuntu.com")).doesNotExist();
    assertThat(root.resolve("cache/ubuntu-24.04-amd64.qcow2")).exists();
    assertThat(images.removeMatching("ubuntu:noble", Optional.empty(), root)).isEmpty();
  }

  @Test
  void removeAll_deletesRootWithCache() throws Exception {
    ComputeImage images = images(LINUX, false);
    images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    images.removeAll();
    assertThat(root).doesNotExist();
    assertThat(images.list()).isEmpty();
  }

  @Test
  void pull_marksRoot_removeAllRefusesUnmarkedDirectory(@TempDir Path unrelated) throws Exception {
    ComputeImage images = images(LINUX, false);
    images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    assertThat(root.resolve(".compute-image-root")).isRegularFile();
    assertThat(images.list()).hasSize(1);

    Files.writeString(unrelated.resolve("user-file.txt"), "mine");
    assertThatThrownBy(() -> images.removeAll(unrelated))
        .isInstanceOf(io.carbon.computeimage.ports.error.InvalidReferenceException.class)
        .hasMessageContaining(unrelated.toString());
    assertThat(unrelated.resolve("user-file.txt")).hasContent("mine");
  }

  @Test
  void pull_downloadNotQcow2_malformedNamingUrlAndNotRecorded() throws Exception {
    ComputeImage images = images(LINUX, false);
    converter.detectAs(io.carbon.computeimage.ports.model.DiskFormat.RAW);
    VmRef ref = VmRef.of("ubuntu:24.04", "amd64");
    String url = ubuntu.diskUri(ubuntu.defaultBase(), "24.04", Arch.AMD64).toString();
    assertThatThrownBy(() -> images.pull(ref))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("not a qcow2 image")
        .satisfies(e -> assertThat(((MalformedImageException) e).kind().exitCode()).isEqualTo(6));
    assertThat(converter.conversions()).isZero();
    assertThat(images.findVm(ref)).isEmpty();
  }

  @Test
  void pull_extractKernelFailsOnRepull_previousImageStaysReady() throws Exception {
    ComputeImage images = images(LINUX, true);
    VmRef ref = VmRef.of("ubuntu:24.04", "amd64");
    PulledImage first = images.pull(ref);
    kernel.failWith(new MalformedImageException("no kernel in test disk"));
    assertThatThrownBy(
            () -> images.pull(VmRef.builder().image("ubuntu:24.04").arch("amd64").extractKernel(true).build()))
        .isInstanceOf(MalformedImageException.class);
    Optional<PulledImage> found = images.findVm(ref);
    assertThat(found).isPresent();
    assertThat(found.get().record().attribute("sourceDigest")).isEqualTo(first.record().attribute("sourceDigest"));
    assertThat(found.get().record().attribute("kernel")).isEmpty();
    assertThat(images.list()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(ImageStatus.READY));
    assertThat(downloader.fetched()).hasSize(1);
  }

  @Test
  void pull_extractKernelFailsOnFreshPull_diskRecordedReadyWithoutKernel() throws Exception {
    ComputeImage images = images(LINUX, true);
    kernel.failWith(new MalformedImageException("no kernel in test disk"));
    VmRef ref = VmRef.builder().image("ubuntu:24.04").arch("amd64").extractKernel(true).build();
    assertThatThrownBy(() -> images.pull(ref)).isInstanceOf(MalformedImageException.class);
    Optional<PulledImage> found = images.findVm(ref);
    assertThat(found).isPresent();
    assertThat(found.get().record().attribute("kernel")).isEmpty();
    assertThat(found.get().record().attribute("diskFile")).contains("disk.img");

    kernel.failWith(null);
    PulledImage again = images.pull(ref);
    assertThat(again.record().attribute("kernel")).contains("vmlinuz");
    assertThat(downloader.fetched()).hasSize(1);
  }

  @Test
  void remove_notPulled_returnsFalse() throws Exception {
    assertThat(images(LINUX, false).remove(VmRef.of("ubuntu:24.04", "amd64"))).isFalse();
    assertThat(Files.exists(root.resolve("cloud-images.ubuntu.com"))).isFalse();
  }

  @Test
  void remove_mountInsideImageDir_refusedBeforeDeletingAnything() throws Exception {
    ComputeImage images = images(LINUX, false);
    PulledImage img = images.pull(VmRef.of("ubuntu:24.04", "amd64"));
    Path dir = img.dir();
    Path mountPoint = Files.createDirectories(dir.resolve("mnt"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.toString())
            .inheritIO()
            .start();
    assertThat(mount.waitFor()).isZero(); // the tests run as root
    try {
      assertThatThrownBy(() -> images.remove(VmRef.of("ubuntu:24.04", "amd64")))
          .isInstanceOf(io.carbon.computeimage.ports.error.LocalStorageException.class)
          .hasMessageContaining(mountPoint.toString())
          .hasMessageContaining("nothing was deleted");
      assertThat(images.findVm(VmRef.of("ubuntu:24.04", "amd64"))).isPresent();
    } finally {
      assertThat(new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor())
          .isZero();
    }
  }
}
