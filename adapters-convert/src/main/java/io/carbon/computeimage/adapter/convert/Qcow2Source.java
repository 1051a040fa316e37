package io.carbon.computeimage.adapter.convert;

import io.carbon.computeimage.adapter.convert.qcow2.Qcow2Image;
import java.io.IOException;

/** Units of a qcow2 image: runs of clusters inside one L2 table; holes are skipped cheaply. */
final class Qcow2Source implements UnitSource {
  private static final long COMPRESSED = 1L << 62;
  private static final long OFFSET_MASK = 0x00fffffffffffe00L;
  private final Qcow2Image image;
  private final int clustersPerUnit;

  Qcow2Source(Qcow2Image image, int targetUnitBytes) {
    this.image = image;
    int cs = image.clusterSize();
    this.clustersPerUnit = Math.min(image.header().l2Entries(), Math.max(1, targetUnitBytes / cs));
  }

  @Override
  public long size() {
    return image.virtualSize();
  }

  @Override
  public int unitBytes() {
    return clustersPerUnit * image.clusterSize();
  }

  @Override
  public void forEachUnit(UnitSink sink) throws Exception {
    int cs = image.clusterSize();
    int l2Entries = image.header().l2Entries();
    long size = image.virtualSize();
    long totalClusters = (size + cs - 1) / cs;
    boolean ext = image.header().extendedL2();
    for (int l1 = 0; l1 < image.l1Entries(); l1++) {
      long firstCluster = (long) l1 * l2Entries;
      int clustersHere = (int) Math.min(l2Entries, totalClusters - firstCluster);
      long[] l2 = image.hasL2(l1) ? image.readL2(l1) : null;
      for (int first = 0; first < clustersHere; first += clustersPerUnit) {
        int count = Math.min(clustersPerUnit, clustersHere - first);
        long guest = (firstCluster + first) * cs;
        int length = (int) Math.min((long) count * cs, size - guest);
        if (l2 == null || isHole(l2, first, count, ext)) {
          sink.unit(guest, length, null);
          continue;
        }
        final int l1Index = l1;
        final int from = first;
        final int n = count;
        final long[] table = l2;
        sink.unit(guest, length,
            buf -> image.readClusters(l1Index, table, from, n, buf, 0, image.context()));
      }
    }
  }

  private static boolean isHole(long[] l2, int first, int count, boolean ext) {
    for (int i = first; i < first + count; i++) {
      long e = ext ? l2[2 * i] : l2[i];
      if ((e & COMPRESSED) != 0) {
        return false;
      }
      if (ext) {
        if ((int) l2[2 * i + 1] != 0) {
          return false;
        }
      } else if ((e & OFFSET_MASK) != 0 && (e & 1) == 0) {
        return false;
      }
      if ((e & 0x3f000000000001feL) != 0) {
        return false; // let the reader report the malformed entry
      }
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    image.close();
  }
}
