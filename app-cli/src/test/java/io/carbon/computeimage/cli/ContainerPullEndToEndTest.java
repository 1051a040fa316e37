package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.container.ContainerPaths;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.testkit.registry.Exec;
import io.carbon.computeimage.testkit.registry.LocalRegistry;
import io.carbon.computeimage.testkit.registry.LoopbackTransferPlugin;
import io.carbon.computeimage.testkit.registry.TarBuilder;
import io.carbon.computeimage.testkit.store.TreeSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container pulls end to end: images built with umoci, pushed with skopeo to the real registry,
 * pulled through the facade and CLI with the real registry client and overlay layer store, the
 * layers mounted with overlayfs and compared with {@code umoci unpack} of the same image.
 */
final class ContainerPullEndToEndTest {
  private static final HostInfo HOST = new HostInfo(OsFamily.LINUX, Arch.AMD64, true);
  private static Path work;
  private static Path layout;
  private static LocalRegistry anonymous;
  private static LocalRegistry privateTokens;

  @TempDir Path root;

  @BeforeAll
  static void buildAndPush() throws Exception {
    work = Files.createTempDirectory("oci-e2e-");
    layout = work.resolve("layout");
    Exec.run("umoci", "init", "--layout", layout.toString());
    Exec.run("umoci", "new", "--image", layout + ":base");
    addLayer("base", "l1.tar",
        new TarBuilder()
            .dir("etc", 0755)
            .file("etc/os-release", "ID=e2e\n")
            .file("etc/gone", "deleted in layer 2\n")
            .dir("usr", 0755)
            .dir("usr/bin", 0755)
            .file("usr/bin/suid", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 04755, 0, 0)
            .file("usr/bin/owned", "x".getBytes(StandardCharsets.UTF_8), 0640, 1000, 1000)
            .dir("usr/lib", 0755)
            .file("usr/lib/libx.so", "lib\n")
            .symlink("lib", "usr/lib")
            .hardlink("usr/bin/suid-link", "usr/bin/suid")
            .dir("opaque", 0755)
            .file("opaque/old", "old\n")
            .build());
    addLayer("base", "l2.tar",
        new TarBuilder()
            .dir("etc", 0755)
            .file("etc/.wh.gone", "")
            .dir("opaque", 0755)
            .file("opaque/.wh..wh..opq", "")
            .file("opaque/new", "new\n")
            .file("etc/os-release", "ID=e2e\nVERSION=2\n")
            .build());
    Exec.run("umoci", "config", "--image", layout + ":base", "--config.env", "A=1",
        "--config.entrypoint", "/bin/sh", "--config.cmd", "-c", "--config.cmd", "echo hi",
        "--config.workingdir", "/w", "--os", "linux", "--architecture", "amd64");
    Exec.run("umoci", "tag", "--image", layout + ":base", "derived");
    addLayer("derived", "l3.tar", new TarBuilder().dir("srv", 0755).file("srv/top", "top\n").build());
    anonymous = LocalRegistry.start(LocalRegistry.Auth.ANONYMOUS);
    privateTokens = LocalRegistry.start(LocalRegistry.Auth.TOKEN_PRIVATE);
    for (LocalRegistry r : List.of(anonymous, privateTokens)) {
      r.push(layout, "base", "e2e/base:1");
      r.push(layout, "derived", "e2e/derived:1");
    }
  }

  private static void addLayer(String tag, String name, byte[] tar) throws Exception {
    Path f = work.resolve(name);
    Files.write(f, tar);
    Exec.run("umoci", "raw", "add-layer", "--image", layout + ":" + tag, f.toString());
  }

  @AfterAll
  static void tearDown() {
    if (anonymous != null) {
      anonymous.close();
    }
    if (privateTokens != null) {
      privateTokens.close();
    }
    Exec.deleteTree(work);
  }

  private static ComputeImage images(Path root, LoopbackTransferPlugin transfer, Map<String, String> env)
      throws Exception {
    return ComputeImage.builder()
        .rootDir(root)
        .environment(env)
        .pluginRegistry(registry(transfer))
        .build();
  }

  private static PluginRegistry registry(LoopbackTransferPlugin transfer) throws Exception {
    List<ComputeImagePlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ComputeImagePlugin.class).forEach(plugins::add);
    if (transfer != null) {
      plugins.add(transfer); // outranks the real transfer plugin, to count fetched blobs
    }
    return PluginRegistry.of(plugins, HOST);
  }

  @Test
  void pull_umociImage_overlayMountEqualsUmociUnpack() throws Exception {
    ComputeImage images = images(root, null, Map.of()); // the real transfer engine
    PulledImage img = images.pull(ContainerRef.of(anonymous.host() + "/e2e/base:1"));
    ContainerPaths p = ComputeImage.containerPathsFromImage(img);
    assertThat(p.layers()).hasSize(2);
    assertThat(p.upper()).isEmptyDirectory();
    assertThat(p.work()).isEmptyDirectory();

    Path bundle = work.resolve("bundle-" + System.nanoTime());
    Path merged = Files.createDirectory(root.resolve("merged"));
    Exec.run("umoci", "unpack", "--image", layout + ":base", bundle.toString());
    Exec.run("mount", "-t", "overlay", "overlay", "-o", p.mountOptions(), merged.toString());
    try {
      TreeSnapshot expected = TreeSnapshot.of(bundle.resolve("rootfs"));
      TreeSnapshot actual = TreeSnapshot.of(merged);
      assertThat(TreeSnapshot.differences(expected, actual, TreeSnapshot.Options.defaults())).isEmpty();
      assertThat(merged.resolve("etc/gone")).doesNotExist();
      assertThat(merged.resolve("opaque/old")).doesNotExist();
      assertThat(merged.resolve("opaque/new")).hasContent("new");

      // removing the image while its overlay is mounted (outside the image directory) is refused
      // before anything is deleted
      assertThatThrownBy(() -> images.remove(ContainerRef.of(anonymous.host() + "/e2e/base:1")))
          .isInstanceOf(io.carbon.computeimage.ports.error.LocalStorageException.class)
          .hasMessageContaining("the overlay mounted at " + merged)
          .hasMessageContaining("nothing was deleted");
      assertThat(images.findContainer(ContainerRef.of(anonymous.host() + "/e2e/base:1"))).isPresent();
      assertThat(p.layers().get(0)).isDirectory();
    } finally {
      Exec.run("umount", merged.toString());
      Exec.deleteTree(bundle);
    }
    assertThat(img.record().platform()).isEqualTo("linux/amd64");
    assertThat(images.findContainer(ContainerRef.of(anonymous.host() + "/e2e/base:1"))).isPresent();
  }

  @Test
  void removeAndRemoveAll_overlayMountedWithRelativePathsOutsideTheRoot_refusedBeforeAnythingIsDeleted()
      throws Exception {
    ComputeImage images = images(root, null, Map.of());
    ContainerRef ref = ContainerRef.of(anonymous.host() + "/e2e/base:1");
    ContainerPaths p = ComputeImage.containerPathsFromImage(images.pull(ref));
    Path merged = Files.createDirectories(work.resolve("merged-" + System.nanoTime()));
    // mounted from inside the image directory, as a script that cd's there would
    Exec.run(p.dir(), List.of("mount", "-t", "overlay", "overlay", "-o",
        "lowerdir=layers/01:layers/00,upperdir=upper,workdir=work", merged.toString()));
    try {
      assertThatThrownBy(() -> images.remove(ref))
          .isInstanceOf(io.carbon.computeimage.ports.error.LocalStorageException.class)
          .hasMessageContaining("the overlay mounted at " + merged);
      assertThatThrownBy(() -> images.removeAll(root))
          .isInstanceOf(io.carbon.computeimage.ports.error.LocalStorageException.class)
          .hasMessageContaining("the overlay mounted at " + merged);
      // as the CLI's rm finds it: by listing the images that match
      assertThatThrownBy(() -> images.removeMatching(ref.toString(), java.util.Optional.empty(), root))
          .isInstanceOf(io.carbon.computeimage.ports.error.LocalStorageException.class)
          .hasMessageContaining("the overlay mounted at " + merged);
      assertThatThrownBy(() -> images.removeMatching(anonymous.host() + "/e2e/base:1", java.util.Optional.empty(), root))
          .hasMessageContaining("the overlay mounted at " + merged);
      assertThat(images.findContainer(ref)).isPresent();
      assertThat(p.layers().get(0)).isDirectory();
      assertThat(merged.resolve("opaque/new")).hasContent("new");
    } finally {
      Exec.run("umount", merged.toString());
    }
    assertThat(images.removeAll(root)).isTrue();
    assertThat(root).doesNotExist();
  }

  @Test
  void pull_secondImageSharingLayers_fetchesOnlyTheNewLayer() throws Exception {
    LoopbackTransferPlugin transfer = new LoopbackTransferPlugin();
    ComputeImage images = images(root, transfer, Map.of());
    images.pull(ContainerRef.of(anonymous.host() + "/e2e/base:1"));
    assertThat(transfer.fetched()).hasSize(2);

    PulledImage derived = images.pull(ContainerRef.of(anonymous.host() + "/e2e/derived:1"));

    assertThat(transfer.fetched()).hasSize(3);
    assertThat(ComputeImage.containerPathsFromImage(derived).layers()).hasSize(3);
    try (Stream<Path> s = Files.list(root.resolve("cache"))) {
      assertThat(s.map(x -> x.getFileName().toString()).filter(n -> n.matches("sha256-[0-9a-f]{64}\\.tar\\.gz")))
          .hasSize(3);
    }

    ContainerRef derivedRef = ContainerRef.of(anonymous.host() + "/e2e/derived:1");
    assertThat(images.remove(derivedRef)).isTrue();
    assertThat(derived.dir()).doesNotExist();
    assertThat(images.findContainer(derivedRef)).isEmpty();
    assertThat(images.resolveContainerPaths(derivedRef).layers()).isEmpty();
    assertThat(images.remove(derivedRef)).isFalse();
    try (Stream<Path> s = Files.list(root.resolve("cache"))) {
      assertThat(s.filter(x -> x.getFileName().toString().endsWith(".tar.gz"))).hasSize(3);
    }
    assertThat(images.findContainer(ContainerRef.of(anonymous.host() + "/e2e/base:1"))).isPresent();
  }

  @Test
  void cli_privateTokenRegistryWithDockerConfig_pullInfoLsRm() throws Exception {
    Path cfg = Files.createDirectories(root.resolve("dockercfg"));
    String auth = Base64.getEncoder().encodeToString(
        (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
    Files.writeString(cfg.resolve("config.json"),
        "{\"auths\":{\"" + privateTokens.host() + "\":{\"auth\":\"" + auth + "\"}}}");
    PluginRegistry reg = registry(null); // the real transfer engine
    Path data = root.resolve("data");
    CliHarness cli =
        new CliHarness(
            data,
            (r, listener, cancellation, dirs) ->
                ComputeImage.builder()
                    .rootDir(r)
                    .progressListener(listener)
                    .environment(Map.of("DOCKER_CONFIG", cfg.toString()))
                    .pluginRegistry(reg)
                    .build());
    String ref = privateTokens.host() + "/e2e/derived:1";

    CliHarness.Result pulled = cli.run("pull", "container", ref, "--platform", "linux/amd64");
    assertThat(pulled.code()).as(pulled.err()).isZero();
    assertThat(pulled.out()).contains("Pulled " + ref).contains("layers:  3");

    CliHarness.Result info = cli.run("info", "container", ref, "--json");
    assertThat(info.code()).as(info.err()).isZero();
    assertThat(info.out())
        .contains("\"status\": \"ready\"")
        .contains("\"platform\": \"linux/amd64\"")
        .contains("A=1")
        .contains("/bin/sh")
        .contains("echo hi")
        .contains("\"workingDir\": \"/w\"")
        .contains("sha256:");
    CliHarness.Result infoText = cli.run("info", "container", ref);
    ContainerPaths paths =
        ComputeImage.containerPathsFromImage(
            ComputeImage.builder().rootDir(data).pluginRegistry(reg).build()
                .findContainer(ContainerRef.of(ref)).orElseThrow());
    assertThat(infoText.out())
        .contains("mountOptions:    " + paths.mountOptions())
        .contains("lowerdir=" + paths.layers().get(2) + ":" + paths.layers().get(1) + ":");

    CliHarness.Result ls = cli.run("ls");
    assertThat(ls.out()).contains(ref).contains("container").contains("ready");
    // columns line up however long the reference: ARCH starts where the platform does
    String[] lines = ls.out().split("\n");
    assertThat(lines[1].indexOf("linux/amd64")).isEqualTo(lines[0].indexOf("ARCH")).isPositive();
    assertThat(lines[1].indexOf(" container ") + 2).isEqualTo(lines[0].indexOf("KIND") + 1);

    CliHarness.Result rm = cli.run("rm", ref);
    assertThat(rm.code()).as(rm.err()).isZero();
    assertThat(data.resolve(privateTokens.host().replace(':', '_')).resolve("e2e/derived/1")).doesNotExist();
    try (Stream<Path> s = Files.list(data.resolve("cache"))) {
      assertThat(s.count()).isGreaterThanOrEqualTo(3);
    }
    CliHarness.Result info2 = cli.run("info", "container", ref);
    assertThat(info2.code()).isEqualTo(9);
  }

  @Test
  void cli_privateRegistryWithoutCredentials_unauthorizedExit8() throws Exception {
    LoopbackTransferPlugin transfer = new LoopbackTransferPlugin();
    PluginRegistry reg = registry(transfer);
    CliHarness cli =
        new CliHarness(
            root,
            (r, listener, cancellation, dirs) ->
                ComputeImage.builder().rootDir(r).progressListener(listener)
                    .environment(Map.of("HOME", root.toString())).pluginRegistry(reg).build());
    CliHarness.Result r = cli.run("pull", "container", privateTokens.host() + "/e2e/base:1");
    assertThat(r.code()).isEqualTo(8);
    assertThat(r.err()).contains(privateTokens.host());
  }

  @Test
  void cli_unknownPlatform_notFoundListsIndex() throws Exception {
    CliHarness cli = CliHarness.withRegistry(root, registry(new LoopbackTransferPlugin()));
    CliHarness.Result r =
        cli.run("pull", "container", anonymous.host() + "/e2e/base:1", "--platform", "linux/arm64");
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).contains("linux/amd64").contains("linux/arm64");
  }
}
