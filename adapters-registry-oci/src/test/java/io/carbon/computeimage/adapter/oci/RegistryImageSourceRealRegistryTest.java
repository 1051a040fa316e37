package io.carbon.computeimage.adapter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.UnauthorizedException;
import io.carbon.computeimage.ports.image.ImageManifest;
import io.carbon.computeimage.ports.image.ImageRequest;
import io.carbon.computeimage.ports.image.ImageSourceContext;
import io.carbon.computeimage.ports.image.LayerDescriptor;
import io.carbon.computeimage.ports.image.RegistryImage;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.model.Platform;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.testkit.registry.Exec;
import io.carbon.computeimage.testkit.registry.LocalRegistry;
import io.carbon.computeimage.testkit.registry.LocalRegistry.Auth;
import io.carbon.computeimage.testkit.registry.LoopbackHttpTransport;
import io.carbon.computeimage.testkit.registry.OciLayout;
import io.carbon.computeimage.testkit.registry.OciLayout.Compression;
import io.carbon.computeimage.testkit.registry.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The registry client against the real distribution registry in every auth variant. */
final class RegistryImageSourceRealRegistryTest {
  private static final Map<Auth, LocalRegistry> REGISTRIES = new EnumMap<>(Auth.class);
  private static Path work;
  private static OciLayout layout;
  private static OciLayout.Blob single;
  private static OciLayout.Blob amd64;
  private static OciLayout.Blob arm64;
  private static OciLayout.Blob armv7;
  private static OciLayout.Blob armv6;
  private static List<OciLayout.Layer> layers;

  @BeforeAll
  static void setUp() throws Exception {
    work = Files.createTempDirectory("oci-src-test-");
    layout = OciLayout.create(work.resolve("layout"));
    layers =
        List.of(
            layout.layer(
                new TarBuilder().dir("etc", 0755).file("etc/os-release", "ID=test\n").build(),
                Compression.GZIP),
            layout.layer(new TarBuilder().file("zstd.txt", "z\n").build(), Compression.ZSTD),
            layout.layer(new TarBuilder().file("plain.txt", "p\n").build(), Compression.GZIP));
    // (skopeo compresses uncompressed layers on push, so plain tars are tested with a fake registry)
    single =
        layout.image(
            "single",
            "linux",
            "amd64",
            layers,
            "\"Env\":[\"PATH=/bin\",\"A=1\"],\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"Cmd\":[\"echo hi\"],\"WorkingDir\":\"/w\"");
    amd64 = layout.image(null, "linux", "amd64", layers.subList(0, 1), "");
    arm64 = layout.image(null, "linux", "arm64", layers.subList(1, 2), "");
    armv7 = layout.image(null, "linux", "arm", layers.subList(2, 3), "");
    armv6 = layout.image(null, "linux", "arm", layers.subList(0, 2), "");
    OciLayout.Blob windows = layout.image(null, "windows", "amd64", layers.subList(0, 1), "");
    OciLayout.Blob attestation = layout.image(null, "unknown", "unknown", layers.subList(2, 3), "");
    layout.index(
        "multi",
        List.of(
            OciLayout.entry(
                attestation,
                "{\"os\":\"unknown\",\"architecture\":\"unknown\"}",
                "{\"vnd.docker.reference.type\":\"attestation-manifest\",\"vnd.docker.reference.digest\":\""
                    + amd64.digest()
                    + "\"}"),
            OciLayout.entry(
                windows,
                "{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":\"10.0.20348.2340\"}",
                null),
            OciLayout.entry(amd64, "{\"os\":\"linux\",\"architecture\":\"amd64\"}", null),
            OciLayout.entry(
                arm64, "{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}", null),
            OciLayout.entry(
                armv6, "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}", null),
            OciLayout.entry(
                armv7, "{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}", null)));
    for (Auth a : Auth.values()) {
      LocalRegistry r = LocalRegistry.start(a);
      REGISTRIES.put(a, r);
      r.push(layout.dir(), "single", "team/app:v1");
    }
    REGISTRIES.get(Auth.ANONYMOUS).pushAll(layout.dir(), "multi", "multi/app:latest");
  }

  @AfterAll
  static void tearDown() {
    REGISTRIES.values().forEach(LocalRegistry::close);
    Exec.deleteTree(work);
  }

  private static RegistryImageSource source(LoopbackHttpTransport http, Map<String, String> env) {
    return new RegistryImageSource(
        new ImageSourceContext(
            http, new HostInfo(OsFamily.LINUX, Arch.AMD64, true), env, Set.of()));
  }

  private static ImageRequest request(LocalRegistry r, String repo, String ref, String platform) {
    String[] p = platform.split("/");
    return new ImageRequest(
        new RegistryImage(r.host(), r.host(), repo, ref),
        new Platform(p[0], p[1], p.length > 2 ? p[2] : "", ""),
        false);
  }

  private static Map<String, String> dockerConfig(String json) throws Exception {
    Path dir = Files.createTempDirectory(work, "dockercfg");
    Files.writeString(dir.resolve("config.json"), json);
    return Map.of("DOCKER_CONFIG", dir.toString(), "PATH", dir + ":/usr/bin:/bin");
  }

  private static String basicAuthJson(LocalRegistry r) {
    String auth =
        Base64.getEncoder()
            .encodeToString(
                (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD).getBytes(StandardCharsets.UTF_8));
    return "{\"auths\":{\"" + r.host() + "\":{\"auth\":\"" + auth + "\"}}}";
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void resolve_eachAuthVariant_manifestConfigAndBlobsVerified(Auth auth) throws Exception {
    LocalRegistry r = REGISTRIES.get(auth);
    Map<String, String> env =
        auth == Auth.ANONYMOUS || auth == Auth.TOKEN ? Map.of() : dockerConfig(basicAuthJson(r));
    LoopbackHttpTransport http = new LoopbackHttpTransport();
    RegistryImageSource src = source(http, env);
    ImageRequest req = request(r, "team/app", "v1", "linux/amd64");

    ImageManifest m = src.resolve(req, Cancellation.NONE);

    assertThat(m.manifestDigest().toString()).isEqualTo(single.digest());
    assertThat(m.resolvedDigest()).isEqualTo(m.manifestDigest());
    assertThat(OciLayout.sha256(m.manifestBytes())).isEqualTo(single.digest());
    assertThat(m.config().platform().toString()).isEqualTo("linux/amd64");
    assertThat(m.config().env()).containsExactly("PATH=/bin", "A=1");
    assertThat(m.config().entrypoint()).containsExactly("/bin/sh", "-c");
    assertThat(m.config().cmd()).containsExactly("echo hi");
    assertThat(m.config().workingDir()).isEqualTo("/w");
    assertThat(m.layers())
        .extracting(LayerDescriptor::compression)
        .containsExactly(LayerCompression.GZIP, LayerCompression.ZSTD, LayerCompression.GZIP);
    assertThat(m.config().diffIds())
        .extracting(Object::toString)
        .containsExactlyElementsOf(layers.stream().map(OciLayout.Layer::diffId).toList());
    for (int i = 0; i < m.layers().size(); i++) {
      LayerDescriptor l = m.layers().get(i);
      DownloadRequest d = src.blobDownload(req, l);
      assertThat(d.expected()).isEqualTo(l.digest());
      assertThat(d.expectedSize()).isEqualTo(layers.get(i).blob().size());
      assertThat(d.headers().containsKey("Authorization")).isEqualTo(auth != Auth.ANONYMOUS);
      HttpResult blob = http.send(new HttpRequest("GET", d.uri(), d.headers(), 1 << 20));
      assertThat(blob.status()).isEqualTo(200);
      assertThat(OciLayout.sha256(blob.body())).isEqualTo(l.digest().toString());
    }
    if (auth == Auth.TOKEN_PRIVATE) {
      assertThat(r.tokenServer().orElseThrow().authorizations()).anyMatch(a -> a.startsWith("Basic "));
    }
  }

  @Test
  void resolve_basicRegistryWithoutCredentials_unauthorizedNamesRegistry() {
    LocalRegistry r = REGISTRIES.get(Auth.BASIC);
    RegistryImageSource src = source(new LoopbackHttpTransport(), Map.of());
    assertThatThrownBy(() -> src.resolve(request(r, "team/app", "v1", "linux/amd64"), Cancellation.NONE))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining(r.host())
        .hasMessageContaining("no credentials");
  }

  @Test
  void resolve_basicRegistryWrongPassword_unauthorized() throws Exception {
    LocalRegistry r = REGISTRIES.get(Auth.BASIC);
    String auth = Base64.getEncoder().encodeToString("tester:wrong".getBytes(StandardCharsets.UTF_8));
    RegistryImageSource src =
        source(
            new LoopbackHttpTransport(),
            dockerConfig("{\"auths\":{\"http://" + r.host() + "/v2/\":{\"auth\":\"" + auth + "\"}}}"));
    assertThatThrownBy(() -> src.resolve(request(r, "team/app", "v1", "linux/amd64"), Cancellation.NONE))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("refused");
  }

  @Test
  void resolve_privateTokenRegistryAnonymous_unauthorized() {
    LocalRegistry r = REGISTRIES.get(Auth.TOKEN_PRIVATE);
    RegistryImageSource src = source(new LoopbackHttpTransport(), Map.of());
    assertThatThrownBy(() -> src.resolve(request(r, "team/app", "v1", "linux/amd64"), Cancellation.NONE))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("anonymous");
  }

  @Test
  void resolve_anonymousTokenRegistry_tokenFetchedWithoutCredentials() throws Exception {
    LocalRegistry r = REGISTRIES.get(Auth.TOKEN);
    int before = r.tokenServer().orElseThrow().authorizations().size();
    source(new LoopbackHttpTransport(), Map.of())
        .resolve(request(r, "team/app", "v1", "linux/amd64"), Cancellation.NONE);
    List<String> auths = r.tokenServer().orElseThrow().authorizations();
    assertThat(auths.subList(before, auths.size())).isNotEmpty().allMatch(String::isEmpty);
  }

  @Test
  void resolve_credentialHelper_helperAskedWithRegistryHost() throws Exception {
    LocalRegistry r = REGISTRIES.get(Auth.TOKEN_PRIVATE);
    Map<String, String> env =
        dockerConfig("{\"auths\":{},\"credHelpers\":{\"" + r.host() + "\":\"citest\"}}");
    Path dir = Path.of(env.get("DOCKER_CONFIG"));
    Path log = dir.resolve("helper.log");
    Path helper = dir.resolve("docker-credential-citest");
    Files.writeString(
        helper,
        "#!/bin/sh\n"
            + "[ \"$1\" = get ] || exit 2\n"
            + "read server\n"
            + "echo \"$server\" >> "
            + log
            + "\n"
            + "printf '{\"ServerURL\":\"%s\",\"Username\":\""
            + LocalRegistry.USER
            + "\",\"Secret\":\""
            + LocalRegistry.PASSWORD
            + "\"}' \"$server\"\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));

    ImageManifest m =
        source(new LoopbackHttpTransport(), env)
            .resolve(request(r, "team/app", "v1", "linux/amd64"), Cancellation.NONE);

    assertThat(m.manifestDigest().toString()).isEqualTo(single.digest());
    assertThat(Files.readString(log).strip()).isEqualTo(r.host());
  }

  @Test
  void resolve_credsStoreHelperWithoutEntry_fallsBackToAuths() throws Exception {
    LocalRegistry r = REGISTRIES.get(Auth.BASIC);
    String cfg = basicAuthJson(r).replace("{\"auths\"", "{\"credsStore\":\"empty\",\"auths\"");
    Map<String, String> env = dockerConfig(cfg);
    Path helper = Path.of(env.get("DOCKER_CONFIG")).resolve("docker-credential-empty");
    Files.writeString(helper, "#!/bin/sh\necho 'credentials not found in native keychain'\nexit 1\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    ImageManifest m =
        source(new LoopbackHttpTransport(), env)
            .resolve(request(r, "team/app", "v1", "linux/amd64"), Cancellation.NONE);
    assertThat(m.layers()).hasSize(3);
  }

  @ParameterizedTest
  @CsvSource({"linux/amd64,amd64", "linux/arm64,arm64", "linux/arm64/v8,arm64", "linux/arm,armv7",
    "linux/arm/v7,armv7", "linux/arm/v6,armv6"})
  void resolve_index_platformSelected(String platform, String expected) throws Exception {
    LocalRegistry r = REGISTRIES.get(Auth.ANONYMOUS);
    ImageManifest m =
        source(new LoopbackHttpTransport(), Map.of())
            .resolve(request(r, "multi/app", "latest", platform), Cancellation.NONE);
    OciLayout.Blob want =
        switch (expected) {
          case "amd64" -> amd64;
          case "arm64" -> arm64;
          case "armv7" -> armv7;
          default -> armv6;
        };
    assertThat(m.manifestDigest().toString()).isEqualTo(want.digest());
    assertThat(m.resolvedDigest()).isNotEqualTo(m.manifestDigest());
  }

  @Test
  void resolve_indexWithoutPlatform_notFoundListsPlatformsWithoutAttestation() {
    LocalRegistry r = REGISTRIES.get(Auth.ANONYMOUS);
    assertThatThrownBy(
            () ->
                source(new LoopbackHttpTransport(), Map.of())
                    .resolve(request(r, "multi/app", "latest", "linux/s390x"), Cancellation.NONE))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("linux/s390x")
        .hasMessageContaining("windows/amd64 10.0.20348.2340")
        .hasMessageContaining("linux/arm64/v8")
        .hasMessageNotContaining("unknown");
  }

  @Test
  void resolve_byDigest_sameManifest() throws Exception {
    LocalRegistry r = REGISTRIES.get(Auth.ANONYMOUS);
    ImageManifest m =
        source(new LoopbackHttpTransport(), Map.of())
            .resolve(request(r, "team/app", single.digest(), "linux/amd64"), Cancellation.NONE);
    assertThat(m.manifestDigest().toString()).isEqualTo(single.digest());
  }

  @Test
  void resolve_unknownTagAndRepo_notFound() {
    LocalRegistry r = REGISTRIES.get(Auth.ANONYMOUS);
    RegistryImageSource src = source(new LoopbackHttpTransport(), Map.of());
    assertThatThrownBy(() -> src.resolve(request(r, "team/app", "nope", "linux/amd64"), Cancellation.NONE))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope")
        .hasMessageContaining("team/app");
    assertThatThrownBy(() -> src.resolve(request(r, "no/such", "v1", "linux/amd64"), Cancellation.NONE))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no/such");
  }
}
