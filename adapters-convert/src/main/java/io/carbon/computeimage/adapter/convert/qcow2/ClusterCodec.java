package io.carbon.computeimage.adapter.convert.qcow2;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses qcow2 clusters: zlib clusters are raw deflate (no header), decoded until the
 * cluster is full, trailing bytes ignored; zstd clusters are one or more frames (sector padding
 * after the last one), decoded until the cluster is full. Works on heap or direct buffers (direct
 * buffers avoid copies: the JDK's Inflater and libzstd read and write them in place). Not
 * thread-safe: use one per thread.
 *
 * @since 0.1
 */
public final class ClusterCodec {
  private final Inflater inflater = new Inflater(true);
  private final ZstdDecoder.Kind zstdKind;
  private ZstdDecoder zstd;

  /** A codec using the fastest available zstd decoder (native, else pure Java). */
  public ClusterCodec() {
    this(null);
  }

  /**
   * A codec using the given zstd decoder.
   *
   * @param zstdKind the zstd implementation, or {@code null} for the fastest available
   */
  public ClusterCodec(ZstdDecoder.Kind zstdKind) {
    this.zstdKind = zstdKind;
  }

  /** @return the zstd decoder's name ({@code zstd-jni} or {@code aircompressor}) */
  public String zstdName() {
    return zstd().name();
  }

  private ZstdDecoder zstd() {
    if (zstd == null) {
      zstd = zstdKind == null ? ZstdDecoder.best() : zstdKind.create();
    }
    return zstd;
  }

  /**
   * Decompresses one cluster (arrays).
   *
   * @param compressionType 0 zlib, 1 zstd
   * @param in the compressed bytes
   * @param inOff first compressed byte
   * @param inLen compressed bytes available (may include padding)
   * @param out the output
   * @param outOff where the cluster goes
   * @param clusterSize the bytes to produce
   * @throws IllegalArgumentException when the data is corrupt or too short
   */
  public void decompress(int compressionType, byte[] in, int inOff, int inLen, byte[] out,
      int outOff, int clusterSize) {
    decompress(compressionType, ByteBuffer.wrap(in), inOff, inLen, ByteBuffer.wrap(out), outOff,
        clusterSize);
  }

  /**
   * Decompresses one cluster (absolute indexes; positions and limits are ignored).
   *
   * @param compressionType 0 zlib, 1 zstd
   * @param in the compressed bytes
   * @param inOff first compressed byte
   * @param inLen compressed bytes available (may include padding)
   * @param out the output
   * @param outOff where the cluster goes
   * @param clusterSize the bytes to produce
   * @throws IllegalArgumentException when the data is corrupt or too short
   */
  public void decompress(int compressionType, ByteBuffer in, int inOff, int inLen, ByteBuffer out,
      int outOff, int clusterSize) {
    if (compressionType == 0) {
      inflate(in, inOff, inLen, out, outOff, clusterSize);
    } else {
      unzstd(in, inOff, inLen, out, outOff, clusterSize);
    }
  }

  private void inflate(ByteBuffer in, int inOff, int inLen, ByteBuffer out, int outOff,
      int size) {
    inflater.reset();
    inflater.setInput(in.slice(inOff, inLen));
    ByteBuffer dst = out.slice(outOff, size);
    try {
      while (dst.hasRemaining()) {
        int n = inflater.inflate(dst);
        if (n == 0) {
          if (inflater.finished() || inflater.needsInput()) {
            throw new IllegalArgumentException("deflate data ends after " + dst.position()
                + " of " + size + " bytes");
          }
          if (inflater.needsDictionary()) {
            throw new IllegalArgumentException("deflate data needs a preset dictionary");
          }
        }
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("corrupt deflate data: " + e.getMessage(), e);
    }
  }

  private void unzstd(ByteBuffer in, int inOff, int inLen, ByteBuffer out, int outOff,
      int size) {
    ZstdDecoder decoder = zstd();
    int p = inOff;
    int end = inOff + inLen;
    int done = 0;
    while (done < size) {
      long len = ZstdFrames.frameLength(in, p, end);
      int frame = (int) (len & ~ZstdFrames.SKIPPABLE);
      if ((len & ZstdFrames.SKIPPABLE) == 0) {
        int n;
        try {
          n = decoder.decodeFrame(in, p, frame, out, outOff + done, size - done);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("corrupt zstd frame: " + e.getMessage(), e);
        }
        done += n;
      }
      p += frame;
      if (done < size && p >= end) {
        throw new IllegalArgumentException("zstd data ends after " + done + " of " + size
            + " bytes");
      }
    }
  }
}
