package io.carbon.computeimage.ports.model;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import java.util.Locale;
import java.util.Objects;

/**
 * A content digest such as {@code sha256:e3b0...}: an algorithm and its lowercase hex value.
 *
 * @param algorithm the algorithm, must not be {@code null}
 * @param hex the lowercase hex value, of the algorithm's length
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI
 *     digests</a>
 * @since 0.1
 */
public record Digest(DigestAlgorithm algorithm, String hex) {

  /** Validates the components. */
  public Digest {
    Objects.requireNonNull(algorithm, "algorithm is null");
    Objects.requireNonNull(hex, "hex is null");
    hex = hex.toLowerCase(Locale.ROOT);
    if (hex.length() != algorithm.hexLength() || !hex.chars().allMatch(Digest::isHex)) {
      throw new IllegalArgumentException(
          "not a " + algorithm.prefix() + " hex value: '" + hex + "'");
    }
  }

  /**
   * Parses {@code algorithm:hex} as the OCI digest grammar defines it: lowercase only ({@code
   * SHA256:...} and uppercase hex values are refused).
   *
   * @param text for example {@code sha256:9f86d0...}
   * @return the digest
   * @throws InvalidReferenceException when the text is not a supported digest
   */
  public static Digest parse(String text) throws InvalidReferenceException {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon < 0) {
      throw new InvalidReferenceException("not a digest: '" + text + "' (expected sha256:<hex>)");
    }
    String prefix = text.substring(0, colon);
    DigestAlgorithm alg =
        DigestAlgorithm.byPrefix(prefix)
            .orElseThrow(
                () -> new InvalidReferenceException("unsupported digest algorithm in '" + text + "'"));
    String hex = text.substring(colon + 1);
    if (!prefix.equals(alg.prefix()) || !hex.chars().allMatch(Digest::isHex)) {
      // the OCI digest grammar is lowercase: algorithm [a-z0-9]+, sha256/sha512 values [a-f0-9]
      throw new InvalidReferenceException(
          "not a digest: '" + text + "' (algorithm and hex value must be lowercase)");
    }
    try {
      return new Digest(alg, hex);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException("not a digest: '" + text + "': " + e.getMessage());
    }
  }

  /**
   * Builds a digest from a bare hex value, choosing the algorithm by its length.
   *
   * @param hex 64 (sha256) or 128 (sha512) hex characters
   * @return the digest
   * @throws InvalidReferenceException when the length or characters do not fit any algorithm
   */
  public static Digest ofHex(String hex) throws InvalidReferenceException {
    String h = hex == null ? "" : hex.trim();
    DigestAlgorithm alg =
        DigestAlgorithm.byHexLength(h.length())
            .orElseThrow(() -> new InvalidReferenceException("not a sha256/sha512 value: '" + hex + "'"));
    try {
      return new Digest(alg, h);
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException(e.getMessage());
    }
  }

  private static boolean isHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  @Override
  public String toString() {
    return algorithm.prefix() + ":" + hex;
  }
}
