package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digest helpers for tests. */
public final class Hashes {
  private Hashes() {}

  /**
   * @param data the bytes
   * @return their sha256 digest
   */
  public static Digest sha256(byte[] data) {
    try {
      return new Digest(
          DigestAlgorithm.SHA256,
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
