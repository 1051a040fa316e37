package io.carbon.computeimage.adapter.convert.qcow2;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.nio.ByteBuffer;

/** zstd frames decoded by aircompressor (pure Java): the fallback decoder. */
final class JavaZstdDecoder implements ZstdDecoder {
  private final ZstdDecompressor zstd = new ZstdDecompressor();
  private byte[] in = new byte[0];
  private byte[] out = new byte[0];

  @Override
  public int decodeFrame(ByteBuffer src, int srcOff, int srcLen, ByteBuffer dst, int dstOff,
      int dstMax) {
    byte[] s;
    int so;
    if (src.hasArray()) {
      s = src.array();
      so = src.arrayOffset() + srcOff;
    } else {
      if (in.length < srcLen) {
        in = new byte[srcLen];
      }
      src.get(srcOff, in, 0, srcLen);
      s = in;
      so = 0;
    }
    try {
      if (dst.hasArray()) {
        return zstd.decompress(s, so, srcLen, dst.array(), dst.arrayOffset() + dstOff, dstMax);
      }
      if (out.length < dstMax) {
        out = new byte[dstMax];
      }
      int n = zstd.decompress(s, so, srcLen, out, 0, dstMax);
      dst.put(dstOff, out, 0, n);
      return n;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "aircompressor";
  }
}
