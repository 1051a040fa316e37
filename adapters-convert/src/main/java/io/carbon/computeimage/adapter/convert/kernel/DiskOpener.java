package io.carbon.computeimage.adapter.convert.kernel;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.DiskImages;
import java.io.IOException;
import java.nio.file.Path;

/** Opens a disk image file as a block device. */
@FunctionalInterface
public interface DiskOpener {
  /** Raw images, and qcow2 images read in place (no temporary copy). */
  DiskOpener DEFAULT = DiskOpener::openDefault;

  /**
   * Opens a disk.
   *
   * @param disk the file
   * @return the device
   * @throws IOException when the file cannot be opened or its format is not supported
   */
  BlockDevice open(Path disk) throws IOException;

  private static BlockDevice openDefault(Path disk) throws IOException {
    return DiskImages.open(disk);
  }
}
