package io.carbon.computeimage.testkit.disk;

/**
 * Raw content of a partition without a filesystem ({@link FsType#NONE}).
 *
 * @since 0.1
 */
public enum Fill {
  /** Left as a hole (reads as zero, unallocated in the raw file and in qcow2). */
  HOLE,
  /** Explicitly written zero bytes (allocated in the raw file; qemu-img detects them as zero). */
  ZEROS,
  /** Seeded random bytes (incompressible: qemu stores such clusters uncompressed). */
  RANDOM,
  /** Seeded, text-like bytes that compress well. */
  COMPRESSIBLE,
  /** 1 MiB stripes alternating RANDOM, ZEROS, HOLE and COMPRESSIBLE. */
  MIXED
}
