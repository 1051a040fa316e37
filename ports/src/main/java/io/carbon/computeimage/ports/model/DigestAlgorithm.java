package io.carbon.computeimage.ports.model;

import java.util.Locale;
import java.util.Optional;

/**
 * A content digest algorithm, with its OCI name and the JDK {@code MessageDigest} name.
 *
 * @since 0.1
 */
public enum DigestAlgorithm {
  /** SHA-256, 64 hex characters. */
  SHA256("sha256", "SHA-256", 64),
  /** SHA-512, 128 hex characters. */
  SHA512("sha512", "SHA-512", 128);

  private final String prefix;
  private final String jdkName;
  private final int hexLength;

  DigestAlgorithm(String prefix, String jdkName, int hexLength) {
    this.prefix = prefix;
    this.jdkName = jdkName;
    this.hexLength = hexLength;
  }

  /** @return the OCI prefix, e.g. {@code sha256} */
  public String prefix() {
    return prefix;
  }

  /** @return the name to pass to {@code java.security.MessageDigest.getInstance} */
  public String jdkName() {
    return jdkName;
  }

  /** @return the number of lowercase hex characters of a digest value */
  public int hexLength() {
    return hexLength;
  }

  /**
   * Finds the algorithm by OCI prefix.
   *
   * @param prefix for example {@code sha256}
   * @return the algorithm, or empty when unknown
   */
  public static Optional<DigestAlgorithm> byPrefix(String prefix) {
    String p = prefix.toLowerCase(Locale.ROOT);
    for (DigestAlgorithm a : values()) {
      if (a.prefix.equals(p)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * Finds the algorithm by the length of a hex digest value (64 or 128).
   *
   * @param hexLength the number of hex characters
   * @return the algorithm, or empty when no algorithm has that length
   */
  public static Optional<DigestAlgorithm> byHexLength(int hexLength) {
    for (DigestAlgorithm a : values()) {
      if (a.hexLength == hexLength) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
