package io.carbon.computeimage.adapter.convert.qcow2;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.util.Native;
import java.nio.ByteBuffer;

/** zstd frames decoded by libzstd through zstd-jni; direct buffers avoid any copy. */
final class NativeZstdDecoder implements ZstdDecoder {
  private static final String FAILURE = tryLoad();

  private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();

  private static String tryLoad() {
    try {
      Native.load();
      return null;
    } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, SecurityException...
      return e.toString();
    }
  }

  static boolean available() {
    return FAILURE == null;
  }

  static String loadFailure() {
    return FAILURE;
  }

  @Override
  public int decodeFrame(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff,
      int dstMax) {
    try {
      if (src.isDirect() && dst.isDirect()) {
        return ctx.decompressDirectByteBuffer(dst, dstOff, dstMax, src, srcOff, srcLen);
      }
      if (src.hasArray() && dst.hasArray()) {
        return ctx.decompressByteArray(dst.array(), dst.arrayOffset() + dstOff, dstMax,
            src.array(), src.arrayOffset() + srcOff, srcLen);
      }
      if (src.hasArray()) {
        return ctx.decompressByteArrayToDirectByteBuffer(dst, dstOff, dstMax, src.array(),
            src.arrayOffset() + srcOff, srcLen);
      }
      return ctx.decompressDirectByteBufferToByteArray(dst.array(), dst.arrayOffset() + dstOff,
          dstMax, src, srcOff, srcLen);
    } catch (RuntimeException e) { // ZstdException
      ctx.reset();
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "zstd-jni";
  }
}
