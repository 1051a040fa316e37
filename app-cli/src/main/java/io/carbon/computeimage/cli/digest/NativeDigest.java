package io.carbon.computeimage.cli.digest;

import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigestSpi;
import java.security.ProviderException;

/**
 * A message digest computed by OpenSSL's libcrypto through JNA: SHA-256 and SHA-512 at the speed
 * of its assembly (SHA extensions where the CPU has them, ~1.6 GB/s here), whatever the JIT
 * compiler. The JDK's own SHA-256 reaches that speed only in C2-compiled code (its intrinsic);
 * under C1 alone it is ~10x slower, and C2's compilations cost a pull about a quarter of its CPU
 * time (docs/oci.md). Not thread-safe, as any {@code MessageDigest}.
 */
public abstract class NativeDigest extends MessageDigestSpi implements Cloneable {
  private static final Cleaner CLEANER = Cleaner.create();
  /** Small updates are gathered here: a native call costs about as much as hashing 64 bytes. */
  private static final int GATHER = 4096;

  private final Pointer type;
  private final int length;
  private Ctx ctx;
  private byte[] gather = new byte[GATHER];
  private int gathered;

  /** The native context, freed when the digest becomes unreachable. */
  private static final class Ctx implements Runnable {
    final Pointer p;

    Ctx(Pointer p) {
      this.p = p;
    }

    @Override
    public void run() {
      LibCrypto.EVP_MD_CTX_free(p);
    }
  }

  /** SHA-256. */
  public static final class Sha256 extends NativeDigest {
    private static final Pointer TYPE = LibCrypto.failure() == null ? LibCrypto.EVP_sha256() : null;

    /** Creates a digest in its initial state. */
    public Sha256() {
      super(TYPE, 32);
    }
  }

  /** SHA-512. */
  public static final class Sha512 extends NativeDigest {
    private static final Pointer TYPE = LibCrypto.failure() == null ? LibCrypto.EVP_sha512() : null;

    /** Creates a digest in its initial state. */
    public Sha512() {
      super(TYPE, 64);
    }
  }

  private NativeDigest(Pointer type, int length) {
    if (type == null) {
      throw new ProviderException("libcrypto is not available", LibCrypto.failure());
    }
    this.type = type;
    this.length = length;
    attach(LibCrypto.EVP_MD_CTX_new());
    init();
  }

  private void attach(Pointer p) {
    if (p == null) {
      throw new ProviderException("EVP_MD_CTX_new failed");
    }
    ctx = new Ctx(p);
    CLEANER.register(this, ctx);
  }

  private void init() {
    if (LibCrypto.EVP_DigestInit_ex(ctx.p, type, null) != 1) {
      throw new ProviderException("EVP_DigestInit_ex failed");
    }
    gathered = 0;
  }

  private void flush() {
    if (gathered > 0) {
      check(LibCrypto.EVP_DigestUpdate(ctx.p, gather, gathered));
      gathered = 0;
    }
  }

  private static void check(int ok) {
    if (ok != 1) {
      throw new ProviderException("EVP_DigestUpdate failed");
    }
  }

  @Override
  protected void engineUpdate(byte input) {
    if (gathered == GATHER) {
      flush();
    }
    gather[gathered++] = input;
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    if (len == 0) {
      return;
    }
    if (len < 1024 && len <= GATHER - gathered) {
      System.arraycopy(input, offset, gather, gathered, len);
      gathered += len;
      return;
    }
    flush();
    if (offset == 0) {
      check(LibCrypto.EVP_DigestUpdate(ctx.p, input, len));
    } else {
      check(LibCrypto.EVP_DigestUpdate(ctx.p, ByteBuffer.wrap(input, offset, len), len));
    }
  }

  @Override
  protected void engineUpdate(ByteBuffer input) {
    int len = input.remaining();
    if (len == 0) {
      return;
    }
    if (!input.isDirect() && !input.hasArray()) {
      super.engineUpdate(input); // read-only heap buffer: copied through engineUpdate(byte[])
      return;
    }
    flush();
    check(LibCrypto.EVP_DigestUpdate(ctx.p, input.slice(), len));
    input.position(input.limit());
  }

  @Override
  protected byte[] engineDigest() {
    flush();
    byte[] md = new byte[length];
    if (LibCrypto.EVP_DigestFinal_ex(ctx.p, md, null) != 1) {
      throw new ProviderException("EVP_DigestFinal_ex failed");
    }
    init();
    return md;
  }

  @Override
  protected int engineDigest(byte[] buf, int offset, int len) throws DigestException {
    if (len < length) {
      throw new DigestException("the output needs " + length + " bytes, " + len + " given");
    }
    System.arraycopy(engineDigest(), 0, buf, offset, length);
    return length;
  }

  @Override
  protected int engineGetDigestLength() {
    return length;
  }

  @Override
  protected void engineReset() {
    init();
  }

  @Override
  public Object clone() throws CloneNotSupportedException {
    NativeDigest c = (NativeDigest) super.clone();
    c.gather = gather.clone();
    c.attach(LibCrypto.EVP_MD_CTX_new());
    if (LibCrypto.EVP_MD_CTX_copy_ex(c.ctx.p, ctx.p) != 1) {
      throw new CloneNotSupportedException("EVP_MD_CTX_copy_ex failed");
    }
    return c;
  }
}
