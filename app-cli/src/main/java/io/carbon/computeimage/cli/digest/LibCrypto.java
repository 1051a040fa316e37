package io.carbon.computeimage.cli.digest;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/** OpenSSL's libcrypto EVP digest functions, bound by JNA direct mapping. */
final class LibCrypto {
  private static final Throwable FAILURE = bind();

  private LibCrypto() {}

  private static Throwable bind() {
    Throwable last = null;
    // sonames first: for a short name without the -dev package's symlink, JNA runs ldconfig -p
    for (String name : new String[] {"libcrypto.so.3", "libcrypto.so.1.1", "crypto"}) {
      try {
        Native.register(LibCrypto.class, NativeLibrary.getInstance(name));
        return null;
      } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
        last = e;
      }
    }
    return last;
  }

  /** @return null when bound, else why not */
  static Throwable failure() {
    return FAILURE;
  }

  static native Pointer EVP_sha256();

  static native Pointer EVP_sha512();

  static native Pointer EVP_MD_CTX_new();

  static native void EVP_MD_CTX_free(Pointer ctx);

  static native int EVP_DigestInit_ex(Pointer ctx, Pointer type, Pointer engine);

  static native int EVP_DigestUpdate(Pointer ctx, ByteBuffer data, long count);

  static native int EVP_DigestUpdate(Pointer ctx, byte[] data, long count);

  static native int EVP_DigestFinal_ex(Pointer ctx, byte[] md, Pointer size);

  static native int EVP_MD_CTX_copy_ex(Pointer out, Pointer in);
}
