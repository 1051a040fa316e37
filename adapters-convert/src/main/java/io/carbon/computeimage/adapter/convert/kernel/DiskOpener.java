package io.carbon.computeimage.adapter.convert.kernel;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.fs.UnsupportedFilesystemIOException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a disk image file as a block device. */
@FunctionalInterface
public interface DiskOpener {
  /** Raw images directly; qcow2 through the qcow2 reader when it is present. */
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
    byte[] magic;
    try (InputStream in = Files.newInputStream(disk)) {
      magic = in.readNBytes(4);
    }
    if (magic.length == 4 && magic[0] == 'Q' && magic[1] == 'F' && magic[2] == 'I'
        && (magic[3] & 0xFF) == 0xFB) {
      throw new UnsupportedFilesystemIOException(disk + " is a qcow2 image; convert it to raw first");
    }
    return RawFileDevice.open(disk);
  }
}
