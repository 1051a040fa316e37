package io.carbon.computeimage.adapter.convert.fs.xfs;

import java.io.IOException;
import java.io.InputStream;

/** The content of an extent- or btree-mapped regular file. */
final class XfsFileStream extends InputStream {
  private final XfsFilesystem fs;
  private final XfsInode inode;
  private final XfsExtentMap map;
  private long pos;

  XfsFileStream(XfsFilesystem fs, XfsInode inode, XfsExtentMap map) {
    this.fs = fs;
    this.inode = inode;
    this.map = map;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    long left = inode.size - pos;
    if (left <= 0) {
      return -1;
    }
    int n = (int) Math.min(len, left);
    fs.readData(inode, map, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long k = Math.max(0, Math.min(n, inode.size - pos));
    pos += k;
    return k;
  }

  @Override
  public int available() {
    return (int) Math.min(Integer.MAX_VALUE, inode.size - pos);
  }
}
