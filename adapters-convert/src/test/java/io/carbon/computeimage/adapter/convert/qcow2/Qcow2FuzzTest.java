package io.carbon.computeimage.adapter.convert.qcow2;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.carbon.computeimage.ports.error.ComputeImageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the qcow2 header, L1/L2 and compressed-cluster parsing. Under plain {@code mvn test} it
 * runs in regression mode over the seeds in {@code Qcow2FuzzTestInputs/parse}; {@code
 * JAZZER_FUZZ=1} fuzzes. Only {@link IOException}s and {@link ComputeImageException}s may escape.
 */
class Qcow2FuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse(byte[] data) throws IOException {
    Path f = Files.createTempFile("fuzz", ".qcow2");
    try {
      Files.write(f, data);
      try (Qcow2Image img = Qcow2Image.open(f)) {
        int cs = img.clusterSize();
        int per = Math.min(img.header().l2Entries(), 8);
        byte[] out = new byte[per * cs];
        for (int l1 = 0; l1 < Math.min(img.l1Entries(), 4); l1++) {
          long[] l2 = img.readL2(l1);
          img.readClusters(l1, l2, 0, per, out, 0, img.context());
        }
        ByteBuffer b = ByteBuffer.allocate(4096);
        img.read(Math.max(0, img.virtualSize() - 2048), b);
      } catch (IOException | ComputeImageException expected) {
        // malformed or unsupported: the point is that nothing else escapes
      }
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
