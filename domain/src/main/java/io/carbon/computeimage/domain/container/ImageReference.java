package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.image.RegistryImage;
import io.carbon.computeimage.ports.model.Digest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference parsed and normalised as Docker does: {@code ubuntu:24.04} is
 * {@code docker.io/library/ubuntu:24.04}, served by {@code registry-1.docker.io}.
 *
 * <p>The first path component is a registry only when it contains a {@code .} or a {@code :}, or
 * is {@code localhost}; otherwise the image is on Docker Hub, and a single-component Hub name gets
 * the {@code library/} prefix. {@code index.docker.io} is folded into {@code docker.io}. With no tag
 * and no digest the tag is {@code latest}. A reference with both a tag and a digest is pulled by
 * its digest.
 *
 * @see <a
 *     href="https://github.com/distribution/reference/blob/main/reference.go">distribution/reference
 *     grammar</a>
 * @since 0.1
 */
public final class ImageReference {
  /** The canonical name of Docker Hub. */
  public static final String DOCKER_HUB = "docker.io";

  /** The host that serves Docker Hub's registry API. */
  public static final String DOCKER_HUB_API = "registry-1.docker.io";

  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final String LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final Pattern DOMAIN =
      Pattern.compile("(?:" + LABEL + "(?:\\." + LABEL + ")*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_NAME = 255;

  private final String registry;
  private final String repository;
  private final String tag;
  private final Digest digest;

  private ImageReference(String registry, String repository, String tag, Digest digest) {
    this.registry = registry;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses a reference as typed by a user.
   *
   * @param input for example {@code ubuntu}, {@code ubuntu:24.04}, {@code
   *     127.0.0.1:5000/team/app:1.0}, {@code alpine@sha256:...}
   * @return the normalised reference
   * @throws InvalidReferenceException when the input is not a valid reference; the message names
   *     it and says why
   */
  public static ImageReference parse(String input) throws InvalidReferenceException {
    if (input == null || input.isBlank()) {
      throw new InvalidReferenceException("empty image reference");
    }
    String rest = input.trim();
    if (!rest.equals(input)) {
      throw new InvalidReferenceException(
          "invalid image reference '" + input + "': leading or trailing whitespace");
    }
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String d = rest.substring(at + 1);
      rest = rest.substring(0, at);
      try {
        digest = Digest.parse(d);
      } catch (InvalidReferenceException e) {
        throw new InvalidReferenceException(
            "invalid image reference '" + input + "': " + e.getMessage(), e);
      }
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(
            "invalid image reference '" + input + "': invalid tag '" + tag + "'");
      }
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException("invalid image reference '" + input + "': no name");
    }
    String registry;
    String remainder;
    int first = rest.indexOf('/');
    String head = first < 0 ? "" : rest.substring(0, first);
    if (first < 0
        || (!head.contains(".")
            && !head.contains(":")
            && !head.equals("localhost")
            && head.toLowerCase(Locale.ROOT).equals(head))) {
      registry = DOCKER_HUB;
      remainder = rest;
    } else {
      registry = head;
      remainder = rest.substring(first + 1);
      if (!DOMAIN.matcher(registry).matches()) {
        throw new InvalidReferenceException(
            "invalid image reference '" + input + "': invalid registry '" + registry + "'");
      }
      int portColon = registry.lastIndexOf(':');
      if (portColon > registry.lastIndexOf(']')) {
        String port = registry.substring(portColon + 1);
        if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
          throw new InvalidReferenceException(
              "invalid image reference '"
                  + input
                  + "': registry port "
                  + port
                  + " is outside 1-65535");
        }
      }
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && !remainder.contains("/")) {
      remainder = "library/" + remainder;
    }
    if (!remainder.toLowerCase(Locale.ROOT).equals(remainder)) {
      throw new InvalidReferenceException(
          "invalid image reference '" + input + "': repository name must be lowercase");
    }
    if (!PATH.matcher(remainder).matches()) {
      throw new InvalidReferenceException(
          "invalid image reference '"
              + input
              + "': invalid repository name '"
              + remainder
              + "' (lowercase letters, digits and separators . _ __ - /)");
    }
    if (registry.length() + 1 + remainder.length() > MAX_NAME) {
      throw new InvalidReferenceException(
          "invalid image reference '" + input + "': name longer than " + MAX_NAME + " characters");
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new ImageReference(registry, remainder, tag, digest);
  }

  /** @return the registry as named, for example {@code docker.io} or {@code localhost:5000} */
  public String registry() {
    return registry;
  }

  /** @return the host[:port] serving the registry API ({@code registry-1.docker.io} for Hub) */
  public String apiHost() {
    return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
  }

  /** @return the repository path, for example {@code library/ubuntu} */
  public String repository() {
    return repository;
  }

  /** @return the tag, or empty for a digest-only reference */
  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  /** @return the digest, or empty for a tag reference */
  public Optional<Digest> digest() {
    return Optional.ofNullable(digest);
  }

  /** @return the tag or digest the registry is asked for (the digest when both are given) */
  public String registryReference() {
    return digest != null ? digest.toString() : tag;
  }

  /** @return the reference as a port value */
  public RegistryImage toRegistryImage() {
    return new RegistryImage(registry, apiHost(), repository, registryReference());
  }

  /** @return {@code registry/repository[:tag][@digest]}, the fully qualified form */
  @Override
  public String toString() {
    return registry
        + "/"
        + repository
        + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageReference r
        && registry.equals(r.registry)
        && repository.equals(r.repository)
        && Objects.equals(tag, r.tag)
        && Objects.equals(digest, r.digest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(registry, repository, tag, digest);
  }
}
