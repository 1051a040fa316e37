package io.carbon.computeimage.adapter.overlay.unpack;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Hashes and counts every byte read; read failures become {@link BlobReadException}s. */
final class DigestingStream extends InputStream {
  private final InputStream in;
  private final MessageDigest digest;
  private long count;

  DigestingStream(InputStream in, MessageDigest digest) {
    this.in = in;
    this.digest = digest;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw new BlobReadException(e);
    }
    if (n > 0) {
      digest.update(b, off, n);
      count += n;
    }
    return n;
  }

  /** Reads to the end so trailing bytes after the tar's end are hashed too. */
  void drain() {
    byte[] buf = new byte[1 << 16];
    while (read(buf, 0, buf.length) >= 0) {
      // hashing happens in read
    }
  }

  long count() {
    return count;
  }

  byte[] digest() {
    return digest.digest();
  }
}
