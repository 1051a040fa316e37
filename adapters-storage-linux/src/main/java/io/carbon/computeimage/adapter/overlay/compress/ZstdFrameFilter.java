package io.carbon.computeimage.adapter.overlay.compress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes zstd frames through and drops skippable frames ({@code 0x184D2A50}–{@code 0x184D2A5F}),
 * which the pure-Java decoder rejects. It walks each frame's header and block headers, so the
 * decoder never sees bytes outside a frame.
 */
final class ZstdFrameFilter extends InputStream {
  private static final int ZSTD_MAGIC = 0xFD2FB528;

  private final InputStream in;
  private final String source;
  private final byte[] pending = new byte[32];
  private int pendingPos;
  private int pendingLen;
  private long copyLeft;
  private boolean inFrame;
  private boolean lastBlockDone;
  private boolean checksumFlag;
  private boolean eof;

  ZstdFrameFilter(InputStream in, String source) {
    this.in = in;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (pendingPos < pendingLen) {
        int n = Math.min(len, pendingLen - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
      }
      if (copyLeft > 0) {
        int n = in.read(b, off, (int) Math.min(len, copyLeft));
        if (n < 0) {
          throw new EOFException("zstd stream of " + source + " is truncated inside a block");
        }
        copyLeft -= n;
        return n;
      }
      if (eof) {
        return -1;
      }
      advance();
    }
  }

  private void advance() throws IOException {
    pendingPos = 0;
    pendingLen = 0;
    if (!inFrame) {
      int first = in.read();
      if (first < 0) {
        eof = true;
        return;
      }
      byte[] rest = in.readNBytes(3);
      if (rest.length < 3) {
        throw new IOException("zstd stream of " + source + " has trailing garbage");
      }
      int magic = (first & 0xff) | (rest[0] & 0xff) << 8 | (rest[1] & 0xff) << 16 | (rest[2] & 0xff) << 24;
      if ((magic & 0xFFFFFFF0) == 0x184D2A50) {
        byte[] sz = readExact(4);
        long size = (sz[0] & 0xffL) | (sz[1] & 0xffL) << 8 | (sz[2] & 0xffL) << 16 | (sz[3] & 0xffL) << 24;
        in.skipNBytes(size);
        return;
      }
      if (magic != ZSTD_MAGIC) {
        throw new IOException(String.format(
            "zstd stream of %s: not a zstd frame (magic 0x%08x)", source, magic));
      }
      put(new byte[] {(byte) first, rest[0], rest[1], rest[2]});
      int fhd = readExact(1)[0] & 0xff;
      put(new byte[] {(byte) fhd});
      int fcsFlag = fhd >>> 6;
      boolean single = (fhd & 0x20) != 0;
      checksumFlag = (fhd & 0x04) != 0;
      int didFlag = fhd & 0x03;
      int headerRest = (single ? 0 : 1) + new int[] {0, 1, 2, 4}[didFlag]
          + (fcsFlag == 0 ? (single ? 1 : 0) : new int[] {0, 2, 4, 8}[fcsFlag]);
      put(readExact(headerRest));
      inFrame = true;
      lastBlockDone = false;
      return;
    }
    if (lastBlockDone) {
      if (checksumFlag) {
        put(readExact(4));
      }
      inFrame = false;
      return;
    }
    byte[] bh = readExact(3);
    put(bh);
    int header = (bh[0] & 0xff) | (bh[1] & 0xff) << 8 | (bh[2] & 0xff) << 16;
    boolean last = (header & 1) != 0;
    int blockType = (header >>> 1) & 3;
    int blockSize = header >>> 3;
    switch (blockType) {
      case 0, 2 -> copyLeft = blockSize;
      case 1 -> copyLeft = 1;
      default -> throw new IOException("zstd stream of " + source + ": reserved block type");
    }
    lastBlockDone = last;
  }

  private void put(byte[] bytes) {
    System.arraycopy(bytes, 0, pending, pendingLen, bytes.length);
    pendingLen += bytes.length;
  }

  private byte[] readExact(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException("zstd stream of " + source + " is truncated");
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
