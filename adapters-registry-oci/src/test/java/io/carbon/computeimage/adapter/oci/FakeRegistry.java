package io.carbon.computeimage.adapter.oci;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory registry for shapes the real one cannot serve (schema 1, wrong digests). */
final class FakeRegistry implements AutoCloseable {
  record Response(int status, Map<String, String> headers, byte[] body) {}

  private final HttpServer server;
  private final Map<String, Response> routes = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile String requiredBearer;

  FakeRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex) {
            String path = ex.getRequestURI().getPath();
            requests.add(path);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(path + " " + (auth == null ? "" : auth));
            if (path.equals("/token")) {
              byte[] b = "{\"token\":\"T0KEN\",\"expires_in\":300}".getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(200, b.length);
              ex.getResponseBody().write(b);
              return;
            }
            if (requiredBearer != null && path.startsWith("/v2/") && !("Bearer " + requiredBearer).equals(auth)) {
              ex.getResponseHeaders()
                  .add("WWW-Authenticate", "Bearer realm=\"" + base() + "/token\",service=\"fake\"");
              ex.sendResponseHeaders(401, -1);
              return;
            }
            Response r = routes.get(path);
            if (r == null) {
              byte[] b =
                  "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                      .getBytes(StandardCharsets.UTF_8);
              ex.sendResponseHeaders(404, b.length);
              ex.getResponseBody().write(b);
              return;
            }
            r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
          }
        });
    server.start();
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  String base() {
    return "http://" + host();
  }

  void route(String path, int status, Map<String, String> headers, byte[] body) {
    routes.put(path, new Response(status, headers, body));
  }

  /** Serves a manifest under a tag and its digest, with the given content type. */
  String manifest(String repo, String tag, String contentType, String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    String d = sha256(b);
    route("/v2/" + repo + "/manifests/" + tag, 200, Map.of("Content-Type", contentType), b);
    route("/v2/" + repo + "/manifests/" + d, 200, Map.of("Content-Type", contentType), b);
    return d;
  }

  /** Serves a blob and returns its digest. */
  String blob(String repo, byte[] b) {
    String d = sha256(b);
    route("/v2/" + repo + "/blobs/" + d, 200, Map.of("Content-Type", "application/octet-stream"), b);
    return d;
  }

  /** Returns the size of a blob served by {@link #blob}, or 0 when there is none. */
  long size(String repo, String digest) {
    Response r = routes.get("/v2/" + repo + "/blobs/" + digest);
    return r == null ? 0 : r.body().length;
  }

  static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
