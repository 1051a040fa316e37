package io.carbon.computeimage.adapter.convert.block;

import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Image;
import io.carbon.computeimage.ports.error.MalformedImageException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A qcow2 image as a block device, read in place through our own reader (no temporary copy).
 * Safe for concurrent positional reads; each thread keeps its last decompressed cluster.
 *
 * @since 0.1
 */
public final class Qcow2Device implements BlockDevice {
  private final Qcow2Image image;

  /**
   * Wraps an open image (closed with the device).
   *
   * @param image the image
   */
  public Qcow2Device(Qcow2Image image) {
    this.image = image;
  }

  /** @return the underlying image */
  public Qcow2Image image() {
    return image;
  }

  @Override
  public long size() {
    return image.virtualSize();
  }

  @Override
  public int read(long offset, ByteBuffer dst) throws IOException {
    if (offset < 0) {
      throw new MalformedDiskIOException("negative offset " + offset);
    }
    try {
      return image.read(offset, dst);
    } catch (MalformedImageException e) {
      throw new MalformedDiskIOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    image.close();
  }
}
