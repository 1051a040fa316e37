package io.carbon.computeimage.adapter.convert.fs.xfs;

import io.carbon.computeimage.adapter.convert.block.RawFileDevice;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.btrfs.BtrfsFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: writes a fuzz seed holding only the sectors a full walk of an image reads. Usage:
 * {@code SeedWriter xfs|btrfs IMAGE OUT}. Kept to regenerate the committed seeds.
 */
public final class SeedWriter {
  private SeedWriter() {}

  public static void main(String[] args) throws Exception {
    try (RawFileDevice raw = RawFileDevice.open(Path.of(args[1]))) {
      FsFixtures.RecordingDevice rec = new FsFixtures.RecordingDevice(raw);
      try (Filesystem fs = args[0].equals("xfs") ? XfsFilesystem.open(rec) : BtrfsFilesystem.open(rec)) {
        FsFixtures.walk(fs, 500);
        if (fs instanceof BtrfsFilesystem) {
          FsFixtures.walk(fs, ((BtrfsFilesystem) fs).subvolumeRoot(BtrfsFilesystem.FS_TREE), 500);
        }
      }
      Files.write(Path.of(args[2]), rec.seed());
    }
  }
}
