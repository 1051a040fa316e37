package io.carbon.computeimage.adapter.convert.block;

import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Header;
import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Image;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a disk image file as a {@link BlockDevice}, detecting qcow2 by its magic; anything else
 * is read as raw. Malformed qcow2 structures give {@link MalformedDiskIOException}, refused
 * features (backing file, encryption, external data file) {@link
 * UnsupportedDiskFeatureIOException}; messages name the file and the field.
 *
 * <pre>{@code
 * try (BlockDevice disk = DiskImages.open(Path.of("debian-12.qcow2"))) {
 *   byte[] mbr = disk.readFully(0, 512);
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class DiskImages {
  private DiskImages() {}

  /**
   * Opens an image: qcow2 (v2/v3, read in place, thread-safe) or raw.
   *
   * @param file the image
   * @return the device; close it when done
   * @throws MalformedDiskIOException when a qcow2 image is malformed (names file and field)
   * @throws UnsupportedDiskFeatureIOException when a qcow2 image uses a refused feature (backing
   *     file, encryption, external data file)
   * @throws IOException when the file cannot be read
   */
  public static BlockDevice open(Path file) throws IOException {
    if (isQcow2(file)) {
      try {
        return new Qcow2Device(Qcow2Image.open(file));
      } catch (UnsupportedFeatureException e) {
        throw new UnsupportedDiskFeatureIOException(e.getMessage(), e);
      } catch (MalformedImageException e) {
        throw new MalformedDiskIOException(e.getMessage(), e);
      } catch (ComputeImageException e) {
        throw new MalformedDiskIOException(e.getMessage(), e);
      }
    }
    return RawFileDevice.open(file);
  }

  /**
   * Tells whether a file starts with the qcow2 magic.
   *
   * @param file the file
   * @return true for qcow2
   * @throws IOException when the file cannot be read
   */
  public static boolean isQcow2(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(4);
      while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
        // keep reading
      }
      return b.position() == 4 && b.getInt(0) == Qcow2Header.MAGIC;
    }
  }

}
