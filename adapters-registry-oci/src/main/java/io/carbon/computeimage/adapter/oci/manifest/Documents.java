package io.carbon.computeimage.adapter.oci.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Jackson DTOs of the registry's JSON documents; mapped to port records, never exposed. */
public final class Documents {
  private Documents() {}

  /**
   * A descriptor.
   *
   * @param mediaType the media type
   * @param digest the digest text (validated before use)
   * @param size the size in bytes
   * @param urls foreign URLs, may be null
   * @param platform the platform (index entries only), may be null
   * @param annotations annotations, may be null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Descriptor(
      String mediaType,
      String digest,
      Long size,
      List<String> urls,
      PlatformJson platform,
      Map<String, String> annotations) {}

  /**
   * A platform object of an index entry or config.
   *
   * @param architecture the architecture
   * @param os the OS
   * @param variant the variant, may be null
   * @param osVersion {@code os.version}, may be null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record PlatformJson(
      String architecture,
      String os,
      String variant,
      @JsonProperty("os.version") String osVersion) {}

  /**
   * Any manifest-like document: index, list, manifest or schema 1.
   *
   * @param schemaVersion 2 (1 for schema 1)
   * @param mediaType the media type field, may be null
   * @param manifests index entries, null for a manifest
   * @param config the config descriptor, null for an index
   * @param layers the layers, null for an index
   * @param fsLayers schema 1 layers (detects schema 1 without a media type)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ManifestDocument(
      Integer schemaVersion,
      String mediaType,
      List<Descriptor> manifests,
      Descriptor config,
      List<Descriptor> layers,
      List<Object> fsLayers) {}

  /**
   * An image config.
   *
   * @param architecture the architecture
   * @param os the OS
   * @param variant the variant, may be null
   * @param created the creation time, may be null
   * @param config the runtime config, may be null
   * @param rootfs the rootfs, must be present
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ConfigDocument(
      String architecture,
      String os,
      String variant,
      String created,
      RuntimeConfig config,
      RootFs rootfs) {}

  /**
   * {@code config} of an image config.
   *
   * @param env {@code Env}
   * @param entrypoint {@code Entrypoint}
   * @param cmd {@code Cmd}
   * @param workingDir {@code WorkingDir}
   * @param user {@code User}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RuntimeConfig(
      @JsonProperty("Env") List<String> env,
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("User") String user) {}

  /**
   * {@code rootfs} of an image config.
   *
   * @param type {@code layers}
   * @param diffIds {@code diff_ids}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

  /**
   * A token endpoint's answer.
   *
   * @param token the token
   * @param accessToken the OAuth2 spelling of the token
   * @param expiresIn lifetime in seconds, may be null
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record TokenResponse(
      String token,
      @JsonProperty("access_token") String accessToken,
      @JsonProperty("expires_in") Integer expiresIn) {}

  /**
   * A registry error body.
   *
   * @param errors the errors
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ErrorResponse(List<ErrorEntry> errors) {}

  /**
   * One registry error.
   *
   * @param code for example {@code MANIFEST_UNKNOWN}
   * @param message the message
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ErrorEntry(String code, String message) {}
}
