package io.carbon.computeimage.testkit.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an OCI image layout by hand: images with exactly the layers, media types and configs a
 * test needs (including wrong ones), and indexes, ready for {@code skopeo copy oci:...}.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-layout.md">OCI image
 *     layout</a>
 */
public final class OciLayout {
  /** Layer compressions. */
  public enum Compression {
    /** Plain tar. */
    NONE("application/vnd.oci.image.layer.v1.tar"),
    /** gzip. */
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    /** zstd, made with the {@code zstd} tool. */
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

    private final String mediaType;

    Compression(String mediaType) {
      this.mediaType = mediaType;
    }

    /** @return the OCI media type */
    public String mediaType() {
      return mediaType;
    }
  }

  /**
   * A blob written to the layout.
   *
   * @param mediaType its media type
   * @param digest {@code sha256:<hex>}
   * @param size its size
   */
  public record Blob(String mediaType, String digest, long size) {
    /** @return the descriptor JSON */
    public String json() {
      return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }
  }

  /**
   * A layer written to the layout.
   *
   * @param blob the compressed blob
   * @param diffId the digest of the uncompressed tar
   */
  public record Layer(Blob blob, String diffId) {}

  private final Path dir;
  private final List<String> refs = new ArrayList<>();

  private OciLayout(Path dir) {
    this.dir = dir;
  }

  /**
   * Creates an empty layout.
   *
   * @param dir the directory (created)
   * @return the layout
   */
  public static OciLayout create(Path dir) {
    try {
      Files.createDirectories(dir.resolve("blobs/sha256"));
      Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      OciLayout l = new OciLayout(dir);
      l.writeIndex();
      return l;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the layout directory */
  public Path dir() {
    return dir;
  }

  /**
   * Writes a blob.
   *
   * @param mediaType its media type
   * @param bytes its content
   * @return the blob
   */
  public Blob blob(String mediaType, byte[] bytes) {
    String digest = sha256(bytes);
    try {
      Files.write(dir.resolve("blobs/sha256").resolve(digest.substring(7)), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Blob(mediaType, digest, bytes.length);
  }

  /**
   * Writes a layer.
   *
   * @param tar the uncompressed tar
   * @param compression its compression
   * @return the layer
   */
  public Layer layer(byte[] tar, Compression compression) {
    return new Layer(blob(compression.mediaType(), compress(tar, compression)), sha256(tar));
  }

  /**
   * Writes a config and manifest for the layers and tags it in the layout's index.
   *
   * @param ref the ref name in the layout index (for skopeo's {@code oci:dir:ref}), or null
   * @param os the config os
   * @param arch the config architecture
   * @param layers the layers, base first
   * @param diffIds the config's diff_ids (normally each layer's diffId)
   * @param configExtra extra JSON members of the config's {@code config} object, for example
   *     {@code "Env":["A=1"],"Cmd":["sh"]}
   * @return the manifest blob
   */
  public Blob image(
      String ref, String os, String arch, List<Layer> layers, List<String> diffIds, String configExtra) {
    StringBuilder ids = new StringBuilder();
    for (String d : diffIds) {
      ids.append(ids.length() == 0 ? "" : ",").append('"').append(d).append('"');
    }
    String config =
        "{\"architecture\":\""
            + arch
            + "\",\"os\":\""
            + os
            + "\",\"created\":\"2026-01-01T00:00:00Z\",\"config\":{"
            + (configExtra == null ? "" : configExtra)
            + "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
            + ids
            + "]}}";
    Blob cfg = blob("application/vnd.oci.image.config.v1+json", config.getBytes(StandardCharsets.UTF_8));
    StringBuilder ls = new StringBuilder();
    for (Layer l : layers) {
      ls.append(ls.length() == 0 ? "" : ",").append(l.blob().json());
    }
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
            + cfg.json()
            + ",\"layers\":["
            + ls
            + "]}";
    Blob m = blob("application/vnd.oci.image.manifest.v1+json", manifest.getBytes(StandardCharsets.UTF_8));
    if (ref != null) {
      tag(ref, m, "");
    }
    return m;
  }

  /**
   * Writes an image with each layer's own diffID.
   *
   * @param ref the ref name in the layout index
   * @param os the os
   * @param arch the architecture
   * @param layers the layers
   * @param configExtra extra members of the config object
   * @return the manifest blob
   */
  public Blob image(String ref, String os, String arch, List<Layer> layers, String configExtra) {
    return image(ref, os, arch, layers, layers.stream().map(Layer::diffId).toList(), configExtra);
  }

  /**
   * Writes an index over manifests and tags it.
   *
   * @param ref the ref name in the layout index
   * @param entries raw JSON descriptors with platforms, see {@link #entry}
   * @return the index blob
   */
  public Blob index(String ref, List<String> entries) {
    String index =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
            + String.join(",", entries)
            + "]}";
    Blob b = blob("application/vnd.oci.image.index.v1+json", index.getBytes(StandardCharsets.UTF_8));
    tag(ref, b, "");
    return b;
  }

  /**
   * Returns an index entry for a manifest.
   *
   * @param manifest the manifest blob
   * @param platformJson the platform object, for example {@code {"os":"linux","architecture":"arm64"}}
   * @param annotationsJson an annotations object, or null
   * @return the descriptor JSON
   */
  public static String entry(Blob manifest, String platformJson, String annotationsJson) {
    return "{\"mediaType\":\""
        + manifest.mediaType()
        + "\",\"digest\":\""
        + manifest.digest()
        + "\",\"size\":"
        + manifest.size()
        + ",\"platform\":"
        + platformJson
        + (annotationsJson == null ? "" : ",\"annotations\":" + annotationsJson)
        + "}";
  }

  private void tag(String ref, Blob b, String unused) {
    refs.add(
        "{\"mediaType\":\""
            + b.mediaType()
            + "\",\"digest\":\""
            + b.digest()
            + "\",\"size\":"
            + b.size()
            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\""
            + ref
            + "\"}}");
    writeIndex();
  }

  private void writeIndex() {
    try {
      Files.writeString(
          dir.resolve("index.json"),
          "{\"schemaVersion\":2,\"manifests\":[" + String.join(",", refs) + "]}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compresses a tar.
   *
   * @param tar the tar
   * @param c the compression
   * @return the compressed bytes
   */
  public static byte[] compress(byte[] tar, Compression c) {
    try {
      switch (c) {
        case NONE:
          return tar.clone();
        case GZIP:
          ByteArrayOutputStream bos = new ByteArrayOutputStream();
          try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(tar);
          }
          return bos.toByteArray();
        case ZSTD:
          Path in = Files.createTempFile("layer", ".tar");
          Path out = Path.of(in + ".zst");
          try {
            Files.write(in, tar);
            Exec.run("zstd", "-q", "-f", "-3", in.toString(), "-o", out.toString());
            return Files.readAllBytes(out);
          } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
          }
        default:
          throw new IllegalArgumentException(c.name());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Returns {@code sha256:<hex>} of bytes.
   *
   * @param bytes the bytes
   * @return the digest text
   */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
