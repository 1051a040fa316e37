package io.carbon.computeimage.ports.error;

/**
 * The kinds of failure the library reports; each maps to one documented CLI exit code.
 *
 * @since 0.1
 */
public enum ErrorKind {
  /** The user's input (a reference, an option, a path) is not valid. */
  INVALID_INPUT(2),
  /** The distro, version, architecture, repository, tag or platform does not exist. */
  NOT_FOUND(3),
  /** A network or HTTP failure that retries did not overcome. */
  NETWORK(4),
  /** Downloaded or stored content does not match its expected checksum or digest. */
  INTEGRITY(5),
  /** An image, disk, archive or filesystem is malformed. */
  MALFORMED(6),
  /** The input uses a feature this tool deliberately does not support. */
  UNSUPPORTED(7),
  /** The registry or mirror refused our credentials. */
  UNAUTHORIZED(8),
  /** The requested image is not present locally. */
  NOT_PULLED(9),
  /** A local file-system failure (disk full, permission denied, lock failure). */
  LOCAL_IO(10),
  /** Content tried to write outside its target directory or otherwise break out. */
  UNSAFE_CONTENT(11),
  /** The operation was cancelled by the caller or interrupted. */
  CANCELLED(130);

  private final int exitCode;

  ErrorKind(int exitCode) {
    this.exitCode = exitCode;
  }

  /**
   * Returns the CLI exit code for this kind.
   *
   * @return the process exit code, never 0 or 1 (1 is reserved for unexpected internal errors)
   */
  public int exitCode() {
    return exitCode;
  }
}
