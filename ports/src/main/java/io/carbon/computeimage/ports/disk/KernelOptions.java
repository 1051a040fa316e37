package io.carbon.computeimage.ports.disk;

/**
 * Options of a kernel extraction.
 *
 * @param uncompressedKernel also write an uncompressed kernel ({@code vmlinux} ELF on x86, arm64
 *     {@code Image}) for micro-VM monitors that need one
 * @since 0.1
 */
public record KernelOptions(boolean uncompressedKernel) {
  /** @return the defaults: compressed kernel only */
  public static KernelOptions defaults() {
    return new KernelOptions(false);
  }
}
