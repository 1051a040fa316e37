package io.carbon.computeimage.adapter.convert.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.SliceDevice;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FilesystemProbe;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.FsPaths;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import io.carbon.computeimage.adapter.convert.fs.ext4.Ext4Filesystem;
import io.carbon.computeimage.adapter.convert.fs.fat.FatFilesystem;
import io.carbon.computeimage.adapter.convert.kernel.BlsEntries;
import io.carbon.computeimage.adapter.convert.kernel.ExtlinuxConfig;
import io.carbon.computeimage.adapter.convert.kernel.GrubConfig;
import io.carbon.computeimage.adapter.convert.kernel.GrubEnv;
import io.carbon.computeimage.adapter.convert.kernel.KernelUnpacker;
import io.carbon.computeimage.adapter.convert.partition.Partition;
import io.carbon.computeimage.adapter.convert.partition.PartitionTable;
import io.carbon.computeimage.adapter.convert.partition.PartitionTableReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz targets for the partition, filesystem, boot-config and kernel parsers. In CI they run in
 * regression mode over the seeds under {@code DiskParsersFuzzTestInputs/<method>/}; any exception
 * other than {@link IOException} (and any hang or out-of-memory) is a finding.
 */
class DiskParsersFuzzTest {
  private static final int MAX_NODES = 200;

  @FuzzTest(maxDuration = "30s")
  void partitionsAndFilesystems(byte[] data) throws Exception {
    BlockDevice dev = new ByteArrayDevice(data);
    PartitionTable table;
    try {
      table = PartitionTableReader.read(dev);
    } catch (IOException expected) {
      return;
    }
    for (Partition p : table.partitions()) {
      try {
        BlockDevice slice = new SliceDevice(dev, p.startByte(), p.sizeBytes());
        try (Filesystem fs = FilesystemProbe.open(slice).orElse(null)) {
          if (fs != null) {
            walk(fs);
          }
        }
      } catch (IOException expected) {
        // malformed structures are reported as IOException
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void ext4(byte[] data) throws Exception {
    try (Filesystem fs = Ext4Filesystem.open(new ByteArrayDevice(data))) {
      walk(fs);
    } catch (IOException expected) {
      // fine
    }
  }

  @FuzzTest(maxDuration = "30s")
  void fat(byte[] data) throws Exception {
    try (Filesystem fs = FatFilesystem.open(new ByteArrayDevice(data))) {
      walk(fs);
    } catch (IOException expected) {
      // fine
    }
  }

  @FuzzTest(maxDuration = "30s")
  void bootConfigsAndKernels(byte[] data) throws Exception {
    String text = new String(data, StandardCharsets.UTF_8);
    GrubConfig.parse(text).chooseDefault(GrubEnv.parse(text));
    ExtlinuxConfig.chooseDefault(text);
    BlsEntries.chooseDefault(List.of(BlsEntries.parse("x", text)), GrubEnv.parse(text));
    try {
      KernelUnpacker.unpack(data, OutputStream.nullOutputStream());
    } catch (IOException expected) {
      // fine
    }
  }

  private static void walk(Filesystem fs) throws IOException {
    fs.type();
    fs.uuid();
    int[] budget = {MAX_NODES};
    walk(fs, fs.root(), budget, 0);
    new FsPaths(fs).resolve("/boot/vmlinuz");
  }

  private static void walk(Filesystem fs, FsNode dir, int[] budget, int depth) throws IOException {
    if (depth > 8) {
      return;
    }
    for (String name : fs.list(dir)) {
      if (--budget[0] < 0) {
        return;
      }
      FsNode n = fs.lookup(dir, name).orElse(null);
      if (n == null) {
        continue;
      }
      if (n.kind() == NodeKind.DIRECTORY) {
        walk(fs, n, budget, depth + 1);
      } else if (n.kind() == NodeKind.SYMLINK) {
        fs.readLink(n);
      } else if (n.kind() == NodeKind.FILE) {
        try (InputStream in = fs.open(n)) {
          in.transferTo(new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
              // discard, but bound the amount read
            }
          });
        }
      }
    }
  }
}
