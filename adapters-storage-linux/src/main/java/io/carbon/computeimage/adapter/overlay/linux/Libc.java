package io.carbon.computeimage.adapter.overlay.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The few libc calls NIO does not offer, bound through JNA. */
interface Libc extends Library {
  /** Loaded on first use (never at class-load of the store). */
  final class Holder {
    static final Libc INSTANCE = Native.load("c", Libc.class);

    private Holder() {}
  }

  int mknod(String path, int mode, long dev) throws LastErrorException;

  // glibc before 2.33 exports only the versioned wrapper.
  int __xmknod(int ver, String path, int mode, long[] dev) throws LastErrorException;

  int lchown(String path, int uid, int gid) throws LastErrorException;

  int chmod(String path, int mode) throws LastErrorException;

  int symlink(String target, String linkPath) throws LastErrorException;

  int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

  int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags)
      throws LastErrorException;

  NativeLong lgetxattr(String path, String name, byte[] value, NativeLong size)
      throws LastErrorException;

  NativeLong llistxattr(String path, byte[] list, NativeLong size) throws LastErrorException;

  int lremovexattr(String path, String name) throws LastErrorException;

  int geteuid();

  String strerror(int errnum);
}
