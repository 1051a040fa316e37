package io.carbon.computeimage.cli.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libcrypto's digests give the JDK's bytes for every way of feeding them. */
class NativeDigestTest {
  @BeforeAll
  static void libcryptoLoads() {
    // the test machine has libcrypto (.ci/packages/app.txt): not finding it is a failure
    assertThat(NativeDigests.unavailableBecause()).isNull();
    assertThat(NativeDigests.install()).isTrue();
    assertThat(NativeDigests.install()).isTrue(); // once per JVM
  }

  @Test
  void installed_firstChoiceForSha256AndSha512() throws Exception {
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName())
        .isEqualTo(NativeDigests.PROVIDER);
    assertThat(MessageDigest.getInstance("SHA-512").getProvider().getName())
        .isEqualTo(NativeDigests.PROVIDER);
    assertThat(MessageDigest.getInstance("SHA-1").getProvider().getName()).isEqualTo("SUN");
  }

  @Test
  void knownVectors() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(hex(new NativeDigest.Sha256(), abc))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(hex(new NativeDigest.Sha256(), new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(hex(new NativeDigest.Sha512(), abc))
        .isEqualTo("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SHA-256", "SHA-512"})
  void everyKindOfUpdate_sameBytesAsTheJdk(String algorithm) throws Exception {
    MessageDigest ours = MessageDigest.getInstance(algorithm);
    MessageDigest jdk = MessageDigest.getInstance(algorithm, "SUN");
    assertThat(ours.getProvider().getName()).isEqualTo(NativeDigests.PROVIDER);
    Random r = new Random(42);
    MessageDigest half = null;
    for (int i = 0; i < 3000; i++) {
      // lengths around the gathering buffer (4096) and its small-update limit (1024)
      int len = switch (i % 7) {
        case 0 -> 0;
        case 1 -> r.nextInt(64);
        case 2 -> 1023 + r.nextInt(3);
        case 3 -> 4095 + r.nextInt(3);
        case 4 -> r.nextInt(200_000);
        default -> r.nextInt(5000);
      };
      int off = r.nextInt(50);
      byte[] data = new byte[off + len + r.nextInt(50)];
      r.nextBytes(data);
      switch (i % 6) {
        case 0 -> {
          ours.update(data[0]);
          jdk.update(data[0]);
        }
        case 1 -> {
          ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data);
          direct.position(off).limit(off + len);
          ours.update(direct);
          assertThat(direct.position()).isEqualTo(off + len);
          jdk.update(ByteBuffer.wrap(data, off, len));
        }
        case 2 -> {
          ByteBuffer heap = ByteBuffer.wrap(data, off, len);
          ours.update(heap);
          assertThat(heap.remaining()).isZero();
          jdk.update(data, off, len);
        }
        case 3 -> {
          ours.update(ByteBuffer.wrap(data, off, len).asReadOnlyBuffer()); // no array to reach
          jdk.update(data, off, len);
        }
        default -> {
          ours.update(data, off, len);
          jdk.update(data, off, len);
        }
      }
      if (i == 1500) {
        half = (MessageDigest) ours.clone();
        MessageDigest jdkHalf = (MessageDigest) jdk.clone();
        assertThat(half.digest()).isEqualTo(jdkHalf.digest());
      }
    }
    assertThat(ours.digest()).isEqualTo(jdk.digest());
    // reset by digest(): a second message from the same instance
    byte[] again = "again".getBytes(StandardCharsets.US_ASCII);
    assertThat(ours.digest(again)).isEqualTo(jdk.digest(again));
    ours.update(again);
    ours.reset();
    assertThat(ours.digest()).isEqualTo(jdk.digest());
  }

  @Test
  void tlsHandshakes_stillWork_withTheProviderFirst(@TempDir Path tmp) throws Exception {
    // JSSE hashes the handshake transcript with MessageDigest (cloning it mid-stream): a TLS 1.3
    // exchange with a SHA-256 suite goes through our provider, as a pull over https does
    Path ks = tmp.resolve("ks.p12");
    Process keytool = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", "s", "-keyalg", "EC", "-dname", "CN=127.0.0.1",
            "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
            "-storepass", "secret", "-keypass", "secret")
        .redirectErrorStream(true).start();
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor()).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "secret".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "secret".toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    String[] suite = {"TLS_AES_128_GCM_SHA256"};
    try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      server.setEnabledCipherSuites(suite);
      Thread echo = new Thread(() -> {
        try (Socket c = server.accept()) {
          int b = c.getInputStream().read();
          c.getOutputStream().write(b + 1);
        } catch (IOException e) {
          // the client's assertion reports it
        }
      });
      echo.setDaemon(true);
      echo.start();
      try (SSLSocket client = (SSLSocket) ctx.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        client.setEnabledCipherSuites(suite);
        client.setSoTimeout(10_000);
        client.getOutputStream().write(41);
        assertThat(client.getInputStream().read()).isEqualTo(42);
        assertThat(client.getSession().getCipherSuite()).isEqualTo(suite[0]);
      }
    }
    assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName())
        .isEqualTo(NativeDigests.PROVIDER);
  }

  @Test
  void digestIntoBuffer_checksRoom() throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update((byte) 1);
    byte[] out = new byte[40];
    assertThat(md.digest(out, 8, 32)).isEqualTo(32);
    byte[] expected = MessageDigest.getInstance("SHA-256", "SUN").digest(new byte[] {1});
    assertThat(java.util.Arrays.copyOfRange(out, 8, 40)).isEqualTo(expected);
    md.update((byte) 1);
    assertThatThrownBy(() -> md.digest(out, 0, 31)).isInstanceOf(DigestException.class);
  }

  @Test
  void manyInstances_freedWithoutLeakOrCrash() {
    for (int i = 0; i < 200_000; i++) {
      new NativeDigest.Sha256().engineUpdate((byte) i);
    }
    System.gc();
    assertThat(hex(new NativeDigest.Sha256(), new byte[] {1, 2, 3})).hasSize(64);
  }

  private static String hex(NativeDigest d, byte[] data) {
    d.engineUpdate(data, 0, data.length);
    return HexFormat.of().formatHex(d.engineDigest());
  }
}
