package io.carbon.computeimage.adapter.overlay.linux;

import com.sun.jna.LastErrorException;
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

  static native int statx(int dirfd, String path, int flags, int mask, byte[] statxbuf)
      throws LastErrorException;
}
