package io.carbon.computeimage.adapter.overlay.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The libc calls made for every unpacked entry, bound by JNA direct mapping: no proxy, reflection
 * or per-call native memory objects, which matters at tens of thousands of calls per layer.
 * Registered on first use (never at class-load of the store).
 */
final class LibcDirect {
  static {
    Native.register(LibcDirect.class, "c");
  }

  private LibcDirect() {}

  static native int lchown(String path, int uid, int gid) throws LastErrorException;

  static native int chmod(String path, int mode) throws LastErrorException;

  static native int symlink(String target, String linkPath) throws LastErrorException;

  static native int utimensat(int dirfd, String path, long[] times, int flags)
      throws LastErrorException;

  static native int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags)
      throws LastErrorException;
}
