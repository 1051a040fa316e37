package io.carbon.computeimage.ports.error;

import io.carbon.computeimage.ports.model.Digest;
import java.util.Objects;

/**
 * Thrown when content does not match its expected digest; the message names the source, the
 * expected and the actual digest.
 *
 * @since 0.1
 */
public class DigestMismatchException extends ComputeImageException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final Digest expected;
  private final Digest actual;

  /**
   * Creates the exception.
   *
   * @param source the URL or file whose content did not match
   * @param expected the digest the content should have
   * @param actual the digest the content has
   */
  public DigestMismatchException(String source, Digest expected, Digest actual) {
    super(
        ErrorKind.INTEGRITY,
        "checksum mismatch for " + source + ": expected " + expected + ", got " + actual);
    this.source = Objects.requireNonNull(source, "source is null");
    this.expected = Objects.requireNonNull(expected, "expected is null");
    this.actual = Objects.requireNonNull(actual, "actual is null");
  }

  /** @return the URL or file whose content did not match */
  public String source() {
    return source;
  }

  /** @return the expected digest */
  public Digest expected() {
    return expected;
  }

  /** @return the digest actually computed */
  public Digest actual() {
    return actual;
  }
}
