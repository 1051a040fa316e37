package io.carbon.computeimage.testkit.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small Docker token server for tests: issues RS256 JWTs signed with a throw-away key whose
 * self-signed certificate the registry trusts ({@code auth.token.rootcertbundle}). Authenticated
 * users ({@link LocalRegistry#USER}) get pull and push; anonymous callers get pull when allowed.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/jwt/">Token authentication
 *     implementation</a>
 */
public final class TokenServer implements AutoCloseable {
  /** The service name the registry is configured with. */
  public static final String SERVICE = "test-registry";

  /** The issuer the registry is configured with. */
  public static final String ISSUER = "test-token-issuer";

  private final HttpServer server;
  private final PrivateKey key;
  private final String certB64;
  private final Path certFile;
  private volatile boolean allowAnonymous;
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  private TokenServer(HttpServer server, PrivateKey key, String certB64, Path certFile) {
    this.server = server;
    this.key = key;
    this.certB64 = certB64;
    this.certFile = certFile;
  }

  /**
   * Generates a key pair and certificate with {@code openssl} in {@code dir} and starts the
   * server on an ephemeral loopback port.
   *
   * @param dir a directory for the key material
   * @param allowAnonymous whether anonymous callers get pull tokens
   * @return the running server
   * @throws IOException when it cannot start
   */
  public static TokenServer start(Path dir, boolean allowAnonymous) throws IOException {
    Path keyFile = dir.resolve("token-key.pem");
    Path certFile = dir.resolve("token-cert.pem");
    Exec.run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile.toString(),
        "-out", certFile.toString(), "-days", "2", "-subj", "/CN=compute-image-test-token");
    try {
      String pem = Files.readString(keyFile);
      String b64 =
          pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
      PrivateKey key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certFile)));
      String certB64 = Base64.getEncoder().encodeToString(cert.getEncoded());
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TokenServer ts = new TokenServer(server, key, certB64, certFile);
      ts.allowAnonymous = allowAnonymous;
      server.createContext("/token", ts::handle);
      server.start();
      return ts;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot load test token key: " + e.getMessage(), e);
    }
  }

  /** @return the realm URL */
  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** @return the certificate bundle file the registry must trust */
  public Path certFile() {
    return certFile;
  }

  /** @return the number of tokens issued so far */
  public int issued() {
    return issued.get();
  }

  /** @return the Authorization headers received (empty string for none), in order */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /**
   * Allows or refuses anonymous pull tokens from now on.
   *
   * @param allow true to allow
   */
  public void allowAnonymous(boolean allow) {
    this.allowAnonymous = allow;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authorizations.add(auth == null ? "" : auth);
      String subject;
      boolean push;
      if (auth != null && auth.startsWith("Basic ")) {
        String expected =
            Base64.getEncoder()
                .encodeToString(
                    (LocalRegistry.USER + ":" + LocalRegistry.PASSWORD)
                        .getBytes(StandardCharsets.UTF_8));
        if (!auth.substring(6).trim().equals(expected)) {
          ex.sendResponseHeaders(401, -1);
          return;
        }
        subject = LocalRegistry.USER;
        push = true;
      } else if (allowAnonymous) {
        subject = "";
        push = false;
      } else {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"token\"");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      List<String> scopes = new ArrayList<>();
      String query = ex.getRequestURI().getRawQuery();
      if (query != null) {
        for (String kv : query.split("&")) {
          int eq = kv.indexOf('=');
          if (eq > 0 && kv.substring(0, eq).equals("scope")) {
            scopes.add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      StringBuilder access = new StringBuilder("[");
      for (String scope : scopes) {
        for (String one : scope.split(" ")) {
          String[] p = one.split(":");
          if (p.length < 3 || !p[0].equals("repository")) {
            continue;
          }
          String name = String.join(":", java.util.Arrays.copyOfRange(p, 1, p.length - 1));
          if (access.length() > 1) {
            access.append(',');
          }
          access
              .append("{\"type\":\"repository\",\"name\":\"")
              .append(name)
              .append("\",\"actions\":[\"pull\"")
              .append(push ? ",\"push\"" : "")
              .append("]}");
        }
      }
      access.append(']');
      long now = System.currentTimeMillis() / 1000;
      String header =
          "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\"" + certB64 + "\"]}";
      String claims =
          "{\"iss\":\""
              + ISSUER
              + "\",\"sub\":\""
              + subject
              + "\",\"aud\":\""
              + SERVICE
              + "\",\"exp\":"
              + (now + 600)
              + ",\"nbf\":"
              + (now - 60)
              + ",\"iat\":"
              + now
              + ",\"jti\":\""
              + UUID.randomUUID()
              + "\",\"access\":"
              + access
              + "}";
      Base64.Encoder u = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          u.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + u.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initSign(key);
      sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + u.encodeToString(sig.sign());
      byte[] body =
          ("{\"token\":\"" + jwt + "\",\"expires_in\":600}").getBytes(StandardCharsets.UTF_8);
      issued.incrementAndGet();
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
