package io.carbon.computeimage.adapter.convert.qcow2;

import java.nio.ByteBuffer;

/**
 * Decodes one complete zstd frame (no trailing bytes). Two implementations: native libzstd
 * through zstd-jni (fast) and pure-Java aircompressor (the fallback where the native library
 * cannot load). Not thread-safe: one per thread.
 *
 * @since 0.1
 */
public interface ZstdDecoder {
  /**
   * Decodes the frame {@code src[srcOff, srcOff + srcLen)} into {@code dst} at {@code dstOff}.
   *
   * @param src the compressed bytes (absolute indexes; position and limit are ignored)
   * @param srcOff the frame's first byte
   * @param srcLen the frame's exact length
   * @param dst the output (absolute indexes)
   * @param dstOff where the decoded bytes go
   * @param dstMax the room available at {@code dstOff}
   * @return the decoded length
   * @throws IllegalArgumentException when the frame is corrupt or does not fit
   */
  int decodeFrame(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff, int dstMax);

  /** @return a short name for diagnostics ({@code zstd-jni} or {@code aircompressor}) */
  String name();

  /** The available implementations. */
  enum Kind {
    /** libzstd through zstd-jni. */
    NATIVE,
    /** aircompressor, pure Java. */
    JAVA;

    /**
     * Creates a decoder of this kind.
     *
     * @return a new decoder
     * @throws IllegalStateException for NATIVE when the native library cannot load
     */
    public ZstdDecoder create() {
      if (this == NATIVE) {
        if (!NativeZstdDecoder.available()) {
          throw new IllegalStateException("zstd-jni cannot load: "
              + NativeZstdDecoder.loadFailure());
        }
        return new NativeZstdDecoder();
      }
      return new JavaZstdDecoder();
    }
  }

  /**
   * Creates the fastest available decoder: native when zstd-jni loads, else pure Java.
   *
   * @return a new decoder
   */
  static ZstdDecoder best() {
    return NativeZstdDecoder.available() ? new NativeZstdDecoder() : new JavaZstdDecoder();
  }

  /** @return whether the native decoder is available on this platform */
  static boolean nativeAvailable() {
    return NativeZstdDecoder.available();
  }

  /** @return why the native decoder cannot load, or {@code null} when it can */
  static String nativeLoadFailure() {
    return NativeZstdDecoder.loadFailure();
  }
}
