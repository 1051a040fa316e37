package io.carbon.computeimage.adapter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.ErrorKind;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.SizeMismatchException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.image.ImageManifest;
import io.carbon.computeimage.ports.image.ImageRequest;
import io.carbon.computeimage.ports.image.ImageSourceContext;
import io.carbon.computeimage.ports.image.RegistryImage;
import io.carbon.computeimage.ports.model.Platform;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.testkit.registry.LoopbackHttpTransport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Manifest shapes and integrity failures served by an in-memory registry. */
final class RegistryImageSourceFakeRegistryTest {
  private static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private FakeRegistry reg;
  private RegistryImageSource src;

  @BeforeEach
  void setUp() throws Exception {
    reg = new FakeRegistry();
    src = new RegistryImageSource(ImageSourceContext.of(new LoopbackHttpTransport()));
  }

  @AfterEach
  void tearDown() {
    reg.close();
  }

  private ImageRequest req(String repo, String ref) {
    return new ImageRequest(
        new RegistryImage(reg.host(), reg.host(), repo, ref), new Platform("linux", "amd64", "", ""), false);
  }

  private String config(String diffIds) {
    return reg.blob(
        "r",
        ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds
                + "]},\"config\":{\"Env\":[\"X=1\"]}}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static String desc(String mediaType, String digest, long size) {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
  }

  private static final String DIFF = "\"sha256:" + "1".repeat(64) + "\"";

  private String dockerManifest(String cfg, String layers) {
    return "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"config\":"
        + desc("application/vnd.docker.container.image.v1+json", cfg, reg.size("r", cfg)) + ",\"layers\":[" + layers + "]}";
  }

  @Test
  void resolve_schema1_refusedClearly() {
    reg.manifest(
        "r", "old", "application/vnd.docker.distribution.manifest.v1+prettyjws",
        "{\"schemaVersion\":1,\"name\":\"r\",\"tag\":\"old\",\"fsLayers\":[{\"blobSum\":\"sha256:" + "a".repeat(64) + "\"}]}");
    assertThatThrownBy(() -> src.resolve(req("r", "old"), Cancellation.NONE))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("schema 1")
        .hasMessageContaining(reg.host() + "/r:old");
  }

  @Test
  void resolve_schema1WithoutMediaType_refused() {
    reg.manifest("r", "old", "application/json", "{\"schemaVersion\":1,\"fsLayers\":[]}");
    assertThatThrownBy(() -> src.resolve(req("r", "old"), Cancellation.NONE))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("schema 1");
  }

  @Test
  void resolve_byDigestBodyChanged_digestMismatch() {
    String cfg = config(DIFF);
    String layer = reg.blob("r", new byte[] {1});
    String good = dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", layer, 1));
    String digest = FakeRegistry.sha256(good.getBytes(StandardCharsets.UTF_8));
    reg.route(
        "/v2/r/manifests/" + digest, 200, Map.of("Content-Type", DOCKER_MANIFEST),
        good.replace("\"size\":1", "\"size\":2").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> src.resolve(req("r", digest), Cancellation.NONE))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(digest)
        .hasMessageContaining("/v2/r/manifests/");
  }

  @Test
  void resolve_tagWithWrongDockerContentDigest_digestMismatch() {
    String cfg = config(DIFF);
    String layer = reg.blob("r", new byte[] {1});
    byte[] m = dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", layer, 1)).getBytes(StandardCharsets.UTF_8);
    reg.route("/v2/r/manifests/t", 200,
        Map.of("Content-Type", DOCKER_MANIFEST, "Docker-Content-Digest", "sha256:" + "0".repeat(64)), m);
    assertThatThrownBy(() -> src.resolve(req("r", "t"), Cancellation.NONE))
        .isInstanceOf(DigestMismatchException.class);
  }

  @Test
  void resolve_indexEntryServedWithOtherBytes_digestMismatch() {
    String cfg = config(DIFF);
    String layer = reg.blob("r", new byte[] {1});
    String m = dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", layer, 1));
    String md = FakeRegistry.sha256(m.getBytes(StandardCharsets.UTF_8));
    reg.route("/v2/r/manifests/" + md, 200, Map.of("Content-Type", DOCKER_MANIFEST),
        (m + " ").getBytes(StandardCharsets.UTF_8));
    reg.manifest("r", "multi", DOCKER_LIST,
        "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_LIST + "\",\"manifests\":[{\"mediaType\":\"" + DOCKER_MANIFEST
            + "\",\"digest\":\"" + md + "\",\"size\":" + m.length() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}");
    assertThatThrownBy(() -> src.resolve(req("r", "multi"), Cancellation.NONE))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(md);
  }

  @Test
  void resolve_configBlobCorrupted_digestMismatch() {
    String cfgDigest = "sha256:" + "c".repeat(64);
    reg.route("/v2/r/blobs/" + cfgDigest, 200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
    String layer = reg.blob("r", new byte[] {1});
    reg.manifest("r", "t", DOCKER_MANIFEST, dockerManifest(cfgDigest, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", layer, 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "t"), Cancellation.NONE))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining(cfgDigest);
  }

  @Test
  void resolve_dockerListAndManifest_uncompressedAndForeignLayers() throws Exception {
    String d2 = "\"sha256:" + "2".repeat(64) + "\"";
    String cfg = config(DIFF + "," + d2);
    String plain = reg.blob("r", new byte[] {1, 2});
    String foreign = "sha256:" + "f".repeat(64);
    String m =
        dockerManifest(cfg,
            desc("application/vnd.docker.image.rootfs.diff.tar", plain, 2) + ","
                + "{\"mediaType\":\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\"" + foreign
                + "\",\"size\":5,\"urls\":[\"ftp://nope/x\",\"https://mcr.example/blob/f\"]}");
    String md = reg.manifest("r", "m", DOCKER_MANIFEST, m);
    reg.manifest("r", "list", DOCKER_LIST,
        "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_LIST + "\",\"manifests\":["
            + "{\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"digest\":\"sha256:" + "9".repeat(64) + "\",\"size\":1,\"platform\":{\"os\":\"windows\",\"architecture\":\"amd64\",\"os.version\":\"10.0.20348.2340\"}},"
            + "{\"mediaType\":\"" + DOCKER_MANIFEST + "\",\"digest\":\"" + md + "\",\"size\":" + m.length() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}");
    reg.requiredBearer = "T0KEN";

    ImageManifest im = src.resolve(req("r", "list"), Cancellation.NONE);

    assertThat(im.manifestDigest().toString()).isEqualTo(md);
    assertThat(im.manifestMediaType()).isEqualTo(DOCKER_MANIFEST);
    assertThat(im.layers().get(0).compression()).isEqualTo(LayerCompression.NONE);
    assertThat(im.layers().get(1).compression()).isEqualTo(LayerCompression.GZIP);
    assertThat(im.layers().get(1).urls()).extracting(Object::toString).containsExactly("https://mcr.example/blob/f");
    DownloadRequest registryBlob = src.blobDownload(req("r", "list"), im.layers().get(0));
    assertThat(registryBlob.uri().toString()).isEqualTo(reg.base() + "/v2/r/blobs/" + plain);
    assertThat(registryBlob.headers()).containsEntry("Authorization", "Bearer T0KEN");
    DownloadRequest foreignBlob = src.blobDownload(req("r", "list"), im.layers().get(1));
    assertThat(foreignBlob.uri().toString()).isEqualTo("https://mcr.example/blob/f");
    assertThat(foreignBlob.headers()).isEmpty();
    assertThat(foreignBlob.expected().toString()).isEqualTo(foreign);
  }

  @Test
  void resolve_manifestNotJson_oneLineWithPositionNoParserInternals() {
    reg.manifest("r", "junk", OCI_MANIFEST, "{\"schemaVersion\": 2, oops\n}");
    assertThatThrownBy(() -> src.resolve(req("r", "junk"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("is not valid JSON (line 1, column")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("Source")
        .hasMessageNotContaining("jackson");
  }

  @Test
  void resolve_configFieldOfWrongType_namesTheField() {
    String cfg =
        reg.blob(
            "r",
            ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[" + DIFF + "]},\"config\":{\"Env\":\"X=1\"}}")
                .getBytes(StandardCharsets.UTF_8));
    reg.manifest("r", "env", DOCKER_MANIFEST,
        dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:" + "1".repeat(64), 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "env"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("config of")
        .hasMessageContaining("wrong type at 'config.Env' (expected an array)")
        .hasMessageNotContaining("\n")
        .hasMessageNotContaining("Documents");
  }

  @Test
  void resolve_ambiguousDocument_refused() {
    reg.manifest("r", "amb", OCI_MANIFEST,
        "{\"schemaVersion\":2,\"manifests\":[],\"layers\":[],\"config\":" + desc("application/vnd.oci.image.config.v1+json", config(""), 1) + "}");
    assertThatThrownBy(() -> src.resolve(req("r", "amb"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("ambiguous");
  }

  @Test
  void resolve_contentTypeContradictsMediaType_refused() {
    String cfg = config(DIFF);
    reg.manifest("r", "ct", "application/vnd.oci.image.index.v1+json",
        dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:" + "1".repeat(64), 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "ct"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class);
  }

  @Test
  void resolve_malformedLayerDigest_refused() {
    String cfg = config(DIFF);
    reg.manifest("r", "bad", DOCKER_MANIFEST, dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:zz", 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "bad"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("sha256:zz");
  }

  @Test
  void resolve_emptyLayerDigest_refused() {
    String cfg = config(DIFF);
    reg.manifest("r", "bad", DOCKER_MANIFEST, dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "", 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "bad"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class);
  }

  @Test
  void resolve_encryptedLayer_unsupported() {
    String cfg = config(DIFF);
    reg.manifest("r", "enc", OCI_MANIFEST,
        "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + desc("application/vnd.oci.image.config.v1+json", cfg, reg.size("r", cfg))
            + ",\"layers\":[" + desc("application/vnd.oci.image.layer.v1.tar+gzip+encrypted", "sha256:" + "1".repeat(64), 1) + "]}");
    assertThatThrownBy(() -> src.resolve(req("r", "enc"), Cancellation.NONE))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("+encrypted");
  }

  @Test
  void resolve_layerCountDiffersFromDiffIds_refused() {
    String cfg = config(DIFF + "," + DIFF);
    reg.manifest("r", "cnt", DOCKER_MANIFEST, dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:" + "1".repeat(64), 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "cnt"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("diff_ids");
  }

  @Test
  void resolve_configSizeDiffersFromDescriptor_sizeMismatch() {
    String cfg = config(DIFF);
    long real = reg.size("r", cfg);
    String m = dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:" + "1".repeat(64), 1))
        .replace("\"size\":" + real + "}", "\"size\":" + (real + 7) + "}");
    reg.manifest("r", "cs", DOCKER_MANIFEST, m);
    assertThatThrownBy(() -> src.resolve(req("r", "cs"), Cancellation.NONE))
        .isInstanceOf(SizeMismatchException.class)
        .hasMessageContaining("/v2/r/blobs/" + cfg)
        .hasMessageContaining("expected " + (real + 7) + " bytes")
        .hasMessageContaining("got " + real)
        .satisfies(e -> assertThat(((SizeMismatchException) e).kind()).isEqualTo(ErrorKind.INTEGRITY));
  }

  @Test
  void resolve_configSizeOverLimit_malformedWithoutFetching() {
    String cfg = config(DIFF);
    String m = dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:" + "1".repeat(64), 1))
        .replace("\"size\":" + reg.size("r", cfg) + "}", "\"size\":1000000000000000}");
    reg.manifest("r", "huge", DOCKER_MANIFEST, m);
    assertThatThrownBy(() -> src.resolve(req("r", "huge"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("1000000000000000");
    assertThat(reg.requests).doesNotContain("/v2/r/blobs/" + cfg);
  }

  @Test
  void resolve_indexEntrySizeDiffersFromManifest_sizeMismatch() {
    String cfg = config(DIFF);
    String m = dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", "sha256:" + "1".repeat(64), 1));
    String md = reg.manifest("r", "m", DOCKER_MANIFEST, m);
    reg.manifest("r", "idx", DOCKER_LIST,
        "{\"schemaVersion\":2,\"mediaType\":\"" + DOCKER_LIST + "\",\"manifests\":[{\"mediaType\":\"" + DOCKER_MANIFEST
            + "\",\"digest\":\"" + md + "\",\"size\":" + (m.length() - 1) + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}");
    assertThatThrownBy(() -> src.resolve(req("r", "idx"), Cancellation.NONE))
        .isInstanceOf(SizeMismatchException.class)
        .hasMessageContaining(md);
  }

  @Test
  void resolve_manifestOverLimit_malformedNotNetwork() {
    reg.route("/v2/r/manifests/big", 200, Map.of("Content-Type", OCI_MANIFEST),
        new byte[(int) RegistryImageSource.MANIFEST_LIMIT + 1]);
    assertThatThrownBy(() -> src.resolve(req("r", "big"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining("manifest big of")
        .hasMessageContaining("exceeds the limit of " + RegistryImageSource.MANIFEST_LIMIT);
  }

  @Test
  void resolve_uppercaseLayerDigest_malformed() {
    String cfg = config(DIFF);
    String upper = "sha256:" + "A".repeat(64);
    reg.manifest("r", "up", DOCKER_MANIFEST, dockerManifest(cfg, desc("application/vnd.docker.image.rootfs.diff.tar.gzip", upper, 1)));
    assertThatThrownBy(() -> src.resolve(req("r", "up"), Cancellation.NONE))
        .isInstanceOf(MalformedImageException.class)
        .hasMessageContaining(upper);
  }

  @Test
  void resolve_artifactConfig_notAContainerImage() {
    String cfg = config(DIFF);
    reg.manifest("r", "helm", OCI_MANIFEST,
        "{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":" + desc("application/vnd.cncf.helm.config.v1+json", cfg, 1)
            + ",\"layers\":[]}");
    assertThatThrownBy(() -> src.resolve(req("r", "helm"), Cancellation.NONE))
        .isInstanceOf(UnsupportedFeatureException.class)
        .hasMessageContaining("not a container image");
  }
}
