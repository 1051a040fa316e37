package io.carbon.computeimage.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A registry on 127.0.0.1 serving one small image, {@code train/app:1} (one gzip layer with a
 * directory and a file), so that {@link CdsTraining} can run a real container pull: the
 * registry client, the HTTP client, Jackson and the layer store are most of a pull's classes.
 * Only what a pull asks for is served ({@code /v2/}, the manifest, the blobs).
 */
final class TrainingRegistry implements AutoCloseable {
  static final String REPOSITORY = "train/app";
  static final String TAG = "1";
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

  private final HttpServer server;
  private final Map<String, byte[]> blobs = new HashMap<>();
  private final byte[] manifest;

  TrainingRegistry() throws IOException {
    byte[] tar = tar();
    byte[] layer = gzip(tar);
    String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Env\":"
        + "[\"PATH=/usr/bin\"],\"Cmd\":[\"/bin/sh\"]},\"rootfs\":{\"type\":\"layers\","
        + "\"diff_ids\":[\"" + digest(tar) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    blobs.put(digest(layer), layer);
    blobs.put(digest(config), config);
    manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{"
        + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
        + digest(config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + digest(layer)
        + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  /** @return the reference to pull, {@code 127.0.0.1:PORT/train/app:1} */
  String reference() {
    return "127.0.0.1:" + server.getAddress().getPort() + "/" + REPOSITORY + ":" + TAG;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String prefix = "/v2/" + REPOSITORY + "/";
      byte[] body;
      String type = "application/octet-stream";
      if (path.equals("/v2/")) {
        body = "{}".getBytes(StandardCharsets.UTF_8);
        type = "application/json";
      } else if (path.equals(prefix + "manifests/" + TAG)
          || path.equals(prefix + "manifests/" + digest(manifest))) {
        body = manifest;
        type = MANIFEST_TYPE;
        ex.getResponseHeaders().set("Docker-Content-Digest", digest(manifest));
      } else if (path.startsWith(prefix + "blobs/") && blobs.containsKey(
          path.substring(prefix.length() + 6))) {
        body = blobs.get(path.substring(prefix.length() + 6));
      } else {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = ex.getRequestMethod().toUpperCase(Locale.ROOT).equals("HEAD");
      ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** @return a ustar archive: {@code etc/} and {@code etc/motd} */
  private static byte[] tar() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] motd = "trained\n".getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(header("etc/", '5', 0755, 0));
    out.writeBytes(header("etc/motd", '0', 0644, motd.length));
    out.writeBytes(motd);
    out.writeBytes(new byte[512 - motd.length]);
    out.writeBytes(new byte[1024]); // end of archive
    return out.toByteArray();
  }

  private static byte[] header(String name, char type, int mode, int size) {
    byte[] h = new byte[512];
    put(h, 0, name);
    put(h, 100, String.format("%07o", mode));
    put(h, 108, "0000000");
    put(h, 116, "0000000");
    put(h, 124, String.format("%011o", size));
    put(h, 136, String.format("%011o", 1_700_000_000L));
    h[156] = (byte) type;
    put(h, 257, "ustar");
    put(h, 263, "00");
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, String.format("%06o", sum));
    h[155] = ' ';
    return h;
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  private static String digest(byte[] data) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
