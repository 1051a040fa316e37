package io.carbon.computeimage.adapter.oci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carbon.computeimage.adapter.oci.auth.CredentialStore;
import io.carbon.computeimage.adapter.oci.manifest.Documents;
import io.carbon.computeimage.adapter.oci.manifest.MediaTypes;
import io.carbon.computeimage.adapter.oci.manifest.PlatformMatcher;
import io.carbon.computeimage.ports.error.BodyTooLargeException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.SizeMismatchException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.image.ImageConfig;
import io.carbon.computeimage.ports.image.ImageManifest;
import io.carbon.computeimage.ports.image.ImageRequest;
import io.carbon.computeimage.ports.image.ImageSource;
import io.carbon.computeimage.ports.image.ImageSourceContext;
import io.carbon.computeimage.ports.image.LayerDescriptor;
import io.carbon.computeimage.ports.image.RegistryImage;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import io.carbon.computeimage.ports.model.Platform;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An {@link ImageSource} speaking the OCI distribution API (and Docker Registry v2) over the
 * {@code HttpTransport} port.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI
 *     distribution specification</a>
 */
public final class RegistryImageSource implements ImageSource {
  /** Largest manifest or index accepted (the distribution spec suggests 4 MiB). */
  static final long MANIFEST_LIMIT = 4L << 20;

  /** Largest config blob accepted. */
  static final long CONFIG_LIMIT = 32L << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final RegistryClient client;

  /**
   * Creates a source.
   *
   * @param context the transport, environment and insecure registries
   */
  public RegistryImageSource(ImageSourceContext context) {
    this.client =
        new RegistryClient(
            context.http(),
            new CredentialStore(context.environment()),
            context.insecureRegistries());
  }

  @Override
  public ImageManifest resolve(ImageRequest request, Cancellation cancellation)
      throws ComputeImageException {
    RegistryImage image = request.image();
    cancellation.check();
    Fetched top = fetchManifest(request, image.reference());
    Fetched manifest = top;
    if (MediaTypes.isIndex(top.mediaType())) {
      List<Documents.Descriptor> entries =
          top.doc().manifests() == null ? List.of() : top.doc().manifests();
      Documents.Descriptor chosen =
          PlatformMatcher.choose(entries, request.platform())
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "no image for platform "
                              + request.platform()
                              + " in "
                              + image
                              + "; the index has: "
                              + (PlatformMatcher.describe(entries).isEmpty()
                                  ? "no platform entries"
                                  : String.join(", ", PlatformMatcher.describe(entries)))));
      Digest d = parseDigest(chosen.digest(), "index entry of " + image);
      cancellation.check();
      manifest = fetchManifest(request, d.toString());
      checkSize(chosen.size(), manifest.bytes().length, "manifest " + d + " of " + image);
      if (!MediaTypes.isManifest(manifest.mediaType())) {
        throw new MalformedImageException(
            "index entry "
                + d
                + " of "
                + image
                + " is not an image manifest (media type "
                + manifest.mediaType()
                + ")");
      }
    } else if (!MediaTypes.isManifest(top.mediaType())) {
      throw new UnsupportedFeatureException(
          image + " has unsupported manifest media type '" + top.mediaType() + "'");
    }
    Documents.ManifestDocument m = manifest.doc();
    if (m.config() == null) {
      throw new MalformedImageException("manifest " + manifest.digest() + " of " + image + " has no config");
    }
    String configType = m.config().mediaType();
    if (configType != null && !MediaTypes.isImageConfig(configType)) {
      throw new UnsupportedFeatureException(
          image + " is not a container image: its config media type is '" + configType + "'");
    }
    Digest configDigest = parseDigest(m.config().digest(), "config of " + image);
    Long configSize = m.config().size();
    if (configSize != null && (configSize < 0 || configSize > CONFIG_LIMIT)) {
      throw new MalformedImageException(
          "config " + configDigest + " of " + image + " has an invalid size " + configSize
              + " (the limit is " + CONFIG_LIMIT + " bytes)");
    }
    cancellation.check();
    URI configUri = client.uri(request, "blobs", configDigest.toString());
    HttpResult cr;
    try {
      cr = client.get(request, configUri, "", CONFIG_LIMIT);
    } catch (BodyTooLargeException e) {
      throw new MalformedImageException(
          "config blob " + configDigest + " of " + image + " is too large: " + e.getMessage(), e);
    }
    if (!cr.isSuccess()) {
      throw client.failure(cr, "config blob " + configDigest + " of " + image);
    }
    byte[] configBytes = cr.body();
    Digest actual = digestOf(configBytes, configDigest.algorithm());
    if (!actual.equals(configDigest)) {
      throw new DigestMismatchException(configUri.toString(), configDigest, actual);
    }
    checkSize(configSize, configBytes.length, configUri.toString());
    ImageConfig config = parseConfig(configBytes, image);
    List<LayerDescriptor> layers = new ArrayList<>();
    List<Documents.Descriptor> ls = m.layers() == null ? List.of() : m.layers();
    for (int i = 0; i < ls.size(); i++) {
      layers.add(toLayer(ls.get(i), i, image));
    }
    if (layers.size() != config.diffIds().size()) {
      throw new MalformedImageException(
          "manifest "
              + manifest.digest()
              + " of "
              + image
              + " lists "
              + layers.size()
              + " layers but its config lists "
              + config.diffIds().size()
              + " diff_ids");
    }
    return new ImageManifest(
        image,
        top.digest(),
        manifest.digest(),
        manifest.mediaType(),
        manifest.bytes(),
        configDigest,
        configBytes,
        config,
        layers);
  }

  @Override
  public DownloadRequest blobDownload(ImageRequest request, LayerDescriptor layer)
      throws ComputeImageException {
    for (URI u : layer.urls()) {
      String s = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (s.equals("http") || s.equals("https")) {
        return new DownloadRequest(u, Map.of(), layer.digest(), layer.size());
      }
    }
    URI uri = client.uri(request, "blobs", layer.digest().toString());
    Optional<String> auth = client.authorizationForBlob(request.image());
    return new DownloadRequest(
        uri,
        auth.map(a -> Map.of("Authorization", a)).orElse(Map.of()),
        layer.digest(),
        layer.size());
  }

  private record Fetched(Digest digest, String mediaType, byte[] bytes, Documents.ManifestDocument doc) {}

  private Fetched fetchManifest(ImageRequest request, String reference)
      throws ComputeImageException {
    RegistryImage image = request.image();
    URI uri = client.uri(request, "manifests", reference);
    HttpResult r;
    try {
      r = client.get(request, uri, MediaTypes.MANIFEST_ACCEPT, MANIFEST_LIMIT);
    } catch (BodyTooLargeException e) {
      // the distribution spec lets registries refuse manifests over 4 MiB: not a network failure
      throw new MalformedImageException(
          "manifest " + reference + " of " + image + " is too large: " + e.getMessage(), e);
    }
    if (!r.isSuccess()) {
      if (r.status() == 404) {
        throw new NotFoundException(
            "manifest "
                + reference
                + " of "
                + image.registry()
                + "/"
                + image.repository()
                + " not found ("
                + RegistryClient.errorText(r)
                + ")");
      }
      throw client.failure(r, "manifest " + reference + " of " + image.registry() + "/" + image.repository());
    }
    client.noteNoAuth(image);
    byte[] body = r.body();
    Optional<Digest> expected = Optional.empty();
    if (reference.contains(":")) {
      expected = Optional.of(parseDigest(reference, "reference " + image));
    }
    Optional<String> header = r.header("docker-content-digest");
    Digest actual =
        digestOf(body, expected.map(Digest::algorithm).orElse(DigestAlgorithm.SHA256));
    if (expected.isPresent() && !expected.get().equals(actual)) {
      throw new DigestMismatchException(uri.toString(), expected.get(), actual);
    }
    if (header.isPresent() && expected.isEmpty()) {
      Digest claimed = parseDigest(header.get().trim(), "Docker-Content-Digest of " + uri);
      Digest ours = digestOf(body, claimed.algorithm());
      if (!claimed.equals(ours)) {
        throw new DigestMismatchException(uri.toString(), claimed, ours);
      }
    }
    Documents.ManifestDocument doc;
    try {
      doc = JSON.readValue(body, Documents.ManifestDocument.class);
    } catch (IOException e) {
      throw new MalformedImageException(
          "manifest " + reference + " of " + image + " " + JsonProblem.describe(e), e);
    }
    if (doc == null) {
      throw new MalformedImageException("manifest " + reference + " of " + image + " is empty");
    }
    String contentType =
        r.header("content-type").map(v -> v.split(";")[0].trim().toLowerCase(Locale.ROOT)).orElse("");
    if (MediaTypes.isSchema1(contentType)
        || MediaTypes.isSchema1(doc.mediaType())
        || (doc.schemaVersion() != null && doc.schemaVersion() == 1)
        || doc.fsLayers() != null) {
      throw new UnsupportedFeatureException(
          image
              + " uses a Docker schema 1 manifest, which is not supported (deprecated since"
              + " Docker 1.10); push it again with a current tool or convert it with"
              + " 'skopeo copy --format v2s2'");
    }
    if (doc.manifests() != null && (doc.layers() != null || doc.config() != null)) {
      throw new MalformedImageException(
          "manifest "
              + reference
              + " of "
              + image
              + " is ambiguous: it has both 'manifests' and 'layers'/'config'");
    }
    String mediaType = doc.mediaType();
    if (mediaType == null || mediaType.isEmpty()) {
      mediaType = contentType;
      if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
        // OCI allows an absent mediaType: infer from the shape
        mediaType = doc.manifests() != null ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
      }
    } else if ((MediaTypes.isIndex(contentType) || MediaTypes.isManifest(contentType))
        && !contentType.equals(mediaType)) {
      throw new MalformedImageException(
          "manifest "
              + reference
              + " of "
              + image
              + " says media type "
              + mediaType
              + " but was served as "
              + contentType);
    }
    if (MediaTypes.isIndex(mediaType) && doc.manifests() == null
        || MediaTypes.isManifest(mediaType) && doc.manifests() != null) {
      throw new MalformedImageException(
          "manifest " + reference + " of " + image + " does not match its media type " + mediaType);
    }
    return new Fetched(actual, mediaType, body, doc);
  }

  private ImageConfig parseConfig(byte[] bytes, RegistryImage image) throws ComputeImageException {
    Documents.ConfigDocument c;
    try {
      c = JSON.readValue(bytes, Documents.ConfigDocument.class);
    } catch (IOException e) {
      throw new MalformedImageException("config of " + image + " " + JsonProblem.describe(e), e);
    }
    if (c == null || c.rootfs() == null || c.rootfs().diffIds() == null) {
      throw new MalformedImageException("config of " + image + " has no rootfs.diff_ids");
    }
    List<Digest> diffIds = new ArrayList<>();
    for (String d : c.rootfs().diffIds()) {
      diffIds.add(parseDigest(d, "diff_id in config of " + image));
    }
    Documents.RuntimeConfig rc = c.config();
    Platform platform =
        new Platform(nz(c.os()), nz(c.architecture()), nz(c.variant()), "");
    return new ImageConfig(
        platform,
        diffIds,
        rc == null || rc.env() == null ? List.of() : nonNull(rc.env()),
        rc == null || rc.entrypoint() == null ? List.of() : nonNull(rc.entrypoint()),
        rc == null || rc.cmd() == null ? List.of() : nonNull(rc.cmd()),
        rc == null ? "" : nz(rc.workingDir()),
        rc == null ? "" : nz(rc.user()),
        nz(c.created()));
  }

  private static LayerDescriptor toLayer(Documents.Descriptor d, int index, RegistryImage image)
      throws ComputeImageException {
    Digest digest = parseDigest(d.digest(), "layer " + index + " of " + image);
    String mediaType = nz(d.mediaType());
    LayerCompression compression =
        MediaTypes.layerCompression(mediaType)
            .orElseThrow(
                () ->
                    new UnsupportedFeatureException(
                        "layer "
                            + index
                            + " ("
                            + digest
                            + ") of "
                            + image
                            + " has unsupported media type '"
                            + mediaType
                            + "'"));
    if (d.size() == null || d.size() < 0) {
      throw new MalformedImageException(
          "layer " + index + " (" + digest + ") of " + image + " has no valid size");
    }
    List<URI> urls = new ArrayList<>();
    if (d.urls() != null) {
      for (String u : d.urls()) {
        try {
          URI uri = URI.create(u);
          String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
          if ((s.equals("http") || s.equals("https")) && uri.getHost() != null) {
            urls.add(uri);
          }
        } catch (IllegalArgumentException ignored) {
          // an unusable foreign URL: the registry is asked instead
        }
      }
    }
    return new LayerDescriptor(mediaType, digest, d.size(), compression, urls);
  }

  /** Compares a descriptor's size (when it states one) with the bytes received. */
  private static void checkSize(Long descriptorSize, long received, String what)
      throws SizeMismatchException {
    if (descriptorSize != null && descriptorSize != received) {
      throw new SizeMismatchException(what, descriptorSize, received);
    }
  }

  private static Digest parseDigest(String text, String what) throws MalformedImageException {
    try {
      return Digest.parse(text == null ? "" : text);
    } catch (InvalidReferenceException e) {
      throw new MalformedImageException("invalid digest '" + text + "' in " + what, e);
    }
  }

  static Digest digestOf(byte[] bytes, DigestAlgorithm algorithm) {
    try {
      MessageDigest md = MessageDigest.getInstance(algorithm.jdkName());
      return new Digest(algorithm, HexFormat.of().formatHex(md.digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm.jdkName() + " missing from the JDK", e);
    }
  }

  private static List<String> nonNull(List<String> in) {
    List<String> out = new ArrayList<>();
    for (String s : in) {
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
