package io.carbon.computeimage.adapter.overlay.linux;

import com.sun.jna.Native;

/**
 * {@code statx(2)} through glibc (2.28+), bound by JNA direct mapping in a class of its own: where
 * the symbol is missing, only this binding fails (and callers fall back to NIO), not the other
 * libc calls.
 */
final class LibcStatx {
  static {
    Native.register(LibcStatx.class, "c");
  }

  private LibcStatx() {}

  /**
   * Calls statx. It returns -1 and leaves {@code errno} in {@link Native#getLastError()} instead
   * of throwing: the unpacker asks about paths that do not exist yet for most entries, and an
   * exception (with its stack trace) per file was ~1% of a pull's CPU.
   */
  static native int statx(int dirfd, String path, int flags, int mask, byte[] statxbuf);
}
