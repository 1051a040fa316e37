package io.carbon.computeimage.ports.error;

import java.util.Objects;

/**
 * Thrown when a compute-image operation fails; the root of the library's checked exceptions.
 *
 * <p>Messages name the input (a URL, a file, a reference) and the cause, in a form fit to show a
 * user as it is.
 *
 * @since 0.1
 */
public class ComputeImageException extends Exception {
  private static final long serialVersionUID = 1L;
  private final ErrorKind kind;

  /**
   * Creates an exception of the given kind.
   *
   * @param kind the failure kind, must not be {@code null}
   * @param message a message naming the input and the cause
   */
  public ComputeImageException(ErrorKind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind is null");
  }

  /**
   * Creates an exception of the given kind with a cause.
   *
   * @param kind the failure kind, must not be {@code null}
   * @param message a message naming the input and the cause
   * @param cause the underlying cause
   */
  public ComputeImageException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind is null");
  }

  /**
   * Returns the kind of failure, which decides the CLI exit code.
   *
   * @return the kind, never {@code null}
   */
  public ErrorKind kind() {
    return kind;
  }
}
