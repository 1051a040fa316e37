package io.carbon.computeimage.testkit.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link QemuImg} writes a qcow2 image.
 *
 * @param compat {@code "1.1"} for version 3 or {@code "0.10"} for version 2
 * @param clusterSize the cluster size in bytes (a power of two, 512 B to 2 MiB)
 * @param compression whether and how data clusters are compressed ({@code -c})
 * @since 0.1
 */
public record Qcow2Options(String compat, int clusterSize, Compression compression) {
  /** Cluster compression of a qcow2 image. */
  public enum Compression {
    /** Plain data clusters. */
    NONE,
    /** {@code -c} with {@code compression_type=zlib} (raw deflate; works with compat 0.10). */
    ZLIB,
    /** {@code -c} with {@code compression_type=zstd} (needs compat 1.1). */
    ZSTD
  }

  /** Validates the components. */
  public Qcow2Options {
    Objects.requireNonNull(compat, "compat is null");
    Objects.requireNonNull(compression, "compression is null");
    if (!compat.equals("1.1") && !compat.equals("0.10")) {
      throw new IllegalArgumentException("compat must be 1.1 or 0.10: " + compat);
    }
    if (Integer.bitCount(clusterSize) != 1 || clusterSize < 512 || clusterSize > (2 << 20)) {
      throw new IllegalArgumentException("bad cluster size " + clusterSize);
    }
    if (compression == Compression.ZSTD && compat.equals("0.10")) {
      throw new IllegalArgumentException("zstd compression needs compat 1.1");
    }
  }

  /**
   * Version 3, 64 KiB clusters.
   *
   * @param compression the compression
   * @return the options
   */
  public static Qcow2Options v3(Compression compression) {
    return new Qcow2Options("1.1", 65536, compression);
  }

  /**
   * Version 2 (compat 0.10), 64 KiB clusters.
   *
   * @param compression NONE or ZLIB
   * @return the options
   */
  public static Qcow2Options v2(Compression compression) {
    return new Qcow2Options("0.10", 65536, compression);
  }

  /**
   * Returns a copy with another cluster size.
   *
   * @param bytes the cluster size
   * @return the options
   */
  public Qcow2Options withClusterSize(int bytes) {
    return new Qcow2Options(compat, bytes, compression);
  }

  /** @return the arguments for {@code qemu-img convert -O qcow2} (without the file names) */
  List<String> convertArgs() {
    List<String> args = new ArrayList<>();
    if (compression != Compression.NONE) {
      args.add("-c");
    }
    StringBuilder o = new StringBuilder("compat=").append(compat)
        .append(",cluster_size=").append(clusterSize);
    if (compression == Compression.ZSTD) {
      o.append(",compression_type=zstd");
    } else if (compression == Compression.ZLIB && compat.equals("1.1")) {
      o.append(",compression_type=zlib");
    }
    args.add("-o");
    args.add(o.toString());
    return args;
  }

  @Override
  public String toString() {
    return "qcow2(compat=" + compat + ", cluster=" + clusterSize + ", " + compression + ")";
  }
}
