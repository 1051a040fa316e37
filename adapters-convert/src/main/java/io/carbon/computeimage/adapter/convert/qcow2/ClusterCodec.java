package io.carbon.computeimage.adapter.convert.qcow2;

import io.airlift.compress.zstd.ZstdDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses qcow2 clusters: zlib clusters are raw deflate (no header), decoded until the
 * cluster is full, trailing bytes ignored; zstd clusters are one or more frames (sector padding
 * after the last one), decoded until the cluster is full. Not thread-safe: use one per thread.
 *
 * @since 0.1
 */
public final class ClusterCodec {
  private final Inflater inflater = new Inflater(true);
  private final ZstdDecompressor zstd = new ZstdDecompressor();

  /**
   * Decompresses one cluster.
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
    if (compressionType == 0) {
      inflate(in, inOff, inLen, out, outOff, clusterSize);
    } else {
      unzstd(in, inOff, inLen, out, outOff, clusterSize);
    }
  }

  private void inflate(byte[] in, int inOff, int inLen, byte[] out, int outOff, int size) {
    inflater.reset();
    inflater.setInput(in, inOff, inLen);
    int done = 0;
    try {
      while (done < size) {
        int n = inflater.inflate(out, outOff + done, size - done);
        if (n == 0) {
          if (inflater.finished() || inflater.needsInput()) {
            throw new IllegalArgumentException("deflate data ends after " + done + " of " + size
                + " bytes");
          }
          if (inflater.needsDictionary()) {
            throw new IllegalArgumentException("deflate data needs a preset dictionary");
          }
        }
        done += n;
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("corrupt deflate data: " + e.getMessage(), e);
    }
  }

  private void unzstd(byte[] in, int inOff, int inLen, byte[] out, int outOff, int size) {
    int p = inOff;
    int end = inOff + inLen;
    int done = 0;
    while (done < size) {
      long len = ZstdFrames.frameLength(in, p, end);
      int frame = (int) (len & ~ZstdFrames.SKIPPABLE);
      if ((len & ZstdFrames.SKIPPABLE) == 0) {
        int n;
        try {
          n = zstd.decompress(in, p, frame, out, outOff + done, size - done);
        } catch (RuntimeException e) {
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
