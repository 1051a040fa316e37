package io.carbon.computeimage.ports.distro;

/**
 * How a mirror's checksum file is written.
 *
 * @since 0.1
 */
public enum ChecksumFormat {
  /** GNU coreutils: {@code <hex>  <file>}. */
  GNU,
  /** GNU binary mode, as Ubuntu writes it: {@code <hex> *<file>}. */
  GNU_BINARY,
  /** BSD tag style: {@code SHA256 (<file>) = <hex>}. */
  BSD,
  /** A file holding just the hex value. */
  BARE_HEX
}
