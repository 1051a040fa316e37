package io.carbon.computeimage.testkit.transfer;

import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;

/** Content, digests and fast settings shared by the transfer contract tests. */
public final class TransferFixtures {
  private TransferFixtures() {}

  /**
   * Deterministic pseudo-random content.
   *
   * @param size the length
   * @param seed the seed
   * @return the bytes
   */
  public static byte[] content(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * Computes a digest.
   *
   * @param algorithm the algorithm
   * @param data the data
   * @return its digest
   */
  public static Digest digest(DigestAlgorithm algorithm, byte[] data) {
    try {
      byte[] d = MessageDigest.getInstance(algorithm.jdkName()).digest(data);
      return new Digest(algorithm, HexFormat.of().formatHex(d));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The SHA-256 digest of data.
   *
   * @param data the data
   * @return the digest
   */
  public static Digest sha256(byte[] data) {
    return digest(DigestAlgorithm.SHA256, data);
  }

  /**
   * Settings for tests: 5 s connect, 1.5 s stall (generous for a loaded CI machine), 4 attempts,
   * 10 ms to 2 s backoff.
   *
   * @return the settings
   */
  public static TransferSettings fastSettings() {
    return new TransferSettings(
        Duration.ofSeconds(5),
        Duration.ofMillis(1500),
        4,
        Duration.ofMillis(10),
        Duration.ofSeconds(2),
        "compute-image-test");
  }

  /**
   * The fast settings with another attempt count.
   *
   * @param maxAttempts attempts per request
   * @return the settings
   */
  public static TransferSettings fastSettings(int maxAttempts) {
    TransferSettings s = fastSettings();
    return new TransferSettings(
        s.connectTimeout(), s.stallTimeout(), maxAttempts, s.initialBackoff(), s.maxBackoff(), s.userAgent());
  }
}
