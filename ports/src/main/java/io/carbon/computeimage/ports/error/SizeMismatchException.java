package io.carbon.computeimage.ports.error;

import java.util.Objects;

/**
 * Thrown when content does not have the size its descriptor states (a layer blob whose server
 * announces another length, a config blob of another size than the manifest says); the message
 * names the source, the expected and the actual size.
 *
 * @since 0.1
 */
public class SizeMismatchException extends ComputeImageException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final long expected;
  private final long actual;

  /**
   * Creates the exception.
   *
   * @param source the URL or file whose size did not match, possibly with how the size was learnt
   * @param expected the size in bytes the descriptor states
   * @param actual the size in bytes received or announced
   */
  public SizeMismatchException(String source, long expected, long actual) {
    super(
        ErrorKind.INTEGRITY,
        "size mismatch for " + source + ": expected " + expected + " bytes (descriptor), got " + actual);
    this.source = Objects.requireNonNull(source, "source is null");
    this.expected = expected;
    this.actual = actual;
  }

  /** @return the URL or file whose size did not match */
  public String source() {
    return source;
  }

  /** @return the size the descriptor states */
  public long expected() {
    return expected;
  }

  /** @return the size received or announced */
  public long actual() {
    return actual;
  }
}
