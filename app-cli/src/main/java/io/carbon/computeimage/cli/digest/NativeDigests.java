package io.carbon.computeimage.cli.digest;

import java.security.Provider;
import java.security.Security;

/**
 * Makes libcrypto's SHA-256 and SHA-512 ({@link NativeDigest}) the JVM's first choice for
 * {@code MessageDigest.getInstance}, so every digest of a pull (blob digests, diffIDs, checksum
 * files) runs at native speed without the adapters knowing. The launcher runs {@code pull} with
 * the C1 compiler only when libcrypto is present (see {@code image-cli}); where it cannot be
 * loaded nothing is installed and the JDK's implementations are used.
 */
public final class NativeDigests {
  /** The provider's name. */
  public static final String PROVIDER = "CarbonLibcrypto";

  private NativeDigests() {}

  /**
   * Installs the provider once per JVM.
   *
   * @return whether libcrypto's digests are now the first choice
   */
  public static synchronized boolean install() {
    if (Security.getProvider(PROVIDER) != null) {
      return true;
    }
    if (LibCrypto.failure() != null) {
      return false;
    }
    Provider p = new Provider(PROVIDER, "1.0", "SHA-256 and SHA-512 by OpenSSL's libcrypto") {
      private static final long serialVersionUID = 1L;
    };
    p.put("MessageDigest.SHA-256", NativeDigest.Sha256.class.getName());
    p.put("MessageDigest.SHA-512", NativeDigest.Sha512.class.getName());
    Security.insertProviderAt(p, 1);
    return true;
  }

  /** @return why libcrypto could not be loaded, or null when it was */
  public static Throwable unavailableBecause() {
    return LibCrypto.failure();
  }
}
