package io.carbon.computeimage.testkit.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real HTTP/1.1 server on {@code 127.0.0.1} and an ephemeral port, for tests: it serves a mirror
 * directory tree, canned in-memory responses, and programmable faults.
 *
 * <p>Files are served to GET and HEAD with {@code Content-Length}, {@code ETag}, {@code
 * Last-Modified} and {@code Accept-Ranges: bytes}. A single {@code Range} ({@code bytes=N-}, {@code
 * bytes=N-M} or {@code bytes=-N}) is answered 206 with {@code Content-Range}, or 416 with {@code
 * Content-Range: bytes * /size} when unsatisfiable. {@code If-Range} holding an ETag or date that
 * does not match the current file makes the server answer 200 with the whole file. A directory URL
 * without a trailing slash is redirected (301) to the slashed one; a directory serves its {@code
 * index.html}, or else an nginx-style autoindex page with one {@code <a href="name">name</a>} line
 * per entry (directories end in {@code /}).
 *
 * <p>Every request is logged ({@link #requests()}), with its headers, before it is answered.
 * Faults are armed per path and consumed in order; see {@link Fault}.
 *
 * <pre>{@code
 * try (TestHttpServer mirror = TestHttpServer.serving(dir);
 *     TestHttpServer cdn = TestHttpServer.serving(dir)) {
 *   mirror.fault("/disk.qcow2", Fault.resetAfter(4096))
 *       .fault("/disk.qcow2", Fault.status(503), 2)
 *       .fault("/other.qcow2", Fault.redirect(cdn.uri("/other.qcow2")), TestHttpServer.ALWAYS);
 *   ... download mirror.uri("/disk.qcow2") ...
 *   assertThat(mirror.requests("/disk.qcow2")).anyMatch(RecordedRequest::isRangeGet);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop the server; stalled handlers are interrupted.
 */
public final class TestHttpServer implements AutoCloseable {
  /** A count for {@link #fault(String, Fault, int)} meaning "every matching request". */
  public static final int ALWAYS = Integer.MAX_VALUE;

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter INDEX_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final AtomicInteger SERVER_IDS = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path root;
  private final Map<String, Deque<ArmedFault>> faults = new ConcurrentHashMap<>();
  private final Map<String, Responder> stubs = new ConcurrentHashMap<>();
  private final List<RecordedRequest> log = new CopyOnWriteArrayList<>();

  private TestHttpServer(Path root, int port) {
    this.root = root == null ? null : root.toAbsolutePath().normalize();
    int id = SERVER_IDS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "test-http-" + id + "-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot bind a test HTTP server on 127.0.0.1"
          + (port == 0 ? "" : ":" + port), e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a server that serves the files under {@code root} (a mirror tree) plus any stubs.
   *
   * @param root the directory served as {@code /}; files may be added or changed while running
   * @return the running server
   * @throws UncheckedIOException when the server cannot bind
   */
  public static TestHttpServer serving(Path root) {
    Objects.requireNonNull(root, "root is null");
    return new TestHttpServer(root, 0);
  }

  /**
   * Starts a server that serves the files under {@code root} on a given port of {@code 127.0.0.1}
   * (the offline demo mirror; tests use {@link #serving(Path)}).
   *
   * @param root the directory served as {@code /}
   * @param port the port, 1 to 65535
   * @return the running server
   * @throws UncheckedIOException when the server cannot bind (the port is taken)
   */
  public static TestHttpServer serving(Path root, int port) {
    Objects.requireNonNull(root, "root is null");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535: " + port);
    }
    return new TestHttpServer(root, port);
  }

  /**
   * Starts a server with no file tree: only stubs answer, everything else is 404.
   *
   * @return the running server
   * @throws UncheckedIOException when the server cannot bind
   */
  public static TestHttpServer start() {
    return new TestHttpServer(null, 0);
  }

  /** @return the port the server listens on (on 127.0.0.1) */
  public int port() {
    return server.getAddress().getPort();
  }

  /** @return the base URI, {@code http://127.0.0.1:PORT/} */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port() + "/");
  }

  /** @return the origin without a trailing slash, {@code http://127.0.0.1:PORT} */
  public String origin() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Returns the absolute URI of a path on this server.
   *
   * @param path for example {@code /debian/12/disk.qcow2} (a leading slash is added if missing)
   * @return the URI
   */
  public URI uri(String path) {
    return URI.create(origin() + (path.startsWith("/") ? path : "/" + path));
  }

  /**
   * Arms a fault for the next request to {@code path}.
   *
   * @param path the exact request path, for example {@code /disk.qcow2}
   * @param fault the misbehaviour
   * @return this server
   */
  public TestHttpServer fault(String path, Fault fault) {
    return fault(path, fault, 1);
  }

  /**
   * Arms a fault for the next {@code times} matching requests to {@code path}. Faults armed for a
   * path are used in the order they were armed.
   *
   * @param path the exact request path
   * @param fault the misbehaviour
   * @param times how many requests it affects, or {@link #ALWAYS}
   * @return this server
   */
  public TestHttpServer fault(String path, Fault fault, int times) {
    Objects.requireNonNull(path, "path is null");
    Objects.requireNonNull(fault, "fault is null");
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    Deque<ArmedFault> queue = faults.computeIfAbsent(path, p -> new ArrayDeque<>());
    synchronized (queue) {
      queue.addLast(new ArmedFault(fault, times));
    }
    return this;
  }

  /** Disarms every fault. @return this server */
  public TestHttpServer clearFaults() {
    faults.clear();
    return this;
  }

  /**
   * Serves a canned response at {@code path} (any method); it takes precedence over files.
   *
   * @param path the exact request path
   * @param response the response
   * @return this server
   */
  public TestHttpServer stub(String path, StubResponse response) {
    Objects.requireNonNull(response, "response is null");
    return stub(path, request -> response);
  }

  /**
   * Serves a computed response at {@code path} (any method); it takes precedence over files.
   *
   * @param path the exact request path
   * @param responder computes the response from the request
   * @return this server
   */
  public TestHttpServer stub(String path, Responder responder) {
    stubs.put(Objects.requireNonNull(path, "path is null"), Objects.requireNonNull(responder));
    return this;
  }

  /** @return every request received so far, in arrival order */
  public List<RecordedRequest> requests() {
    return List.copyOf(log);
  }

  /**
   * Returns the requests received for one path.
   *
   * @param path the exact request path
   * @return those requests, in arrival order
   */
  public List<RecordedRequest> requests(String path) {
    return log.stream().filter(r -> r.path().equals(path)).collect(Collectors.toUnmodifiableList());
  }

  /** Forgets the request log. @return this server */
  public TestHttpServer clearRequests() {
    log.clear();
    return this;
  }

  /** Stops the server at once and interrupts handlers still running. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "TestHttpServer[" + origin() + (root == null ? "" : ", root=" + root) + "]";
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try {
      respond(exchange);
    } catch (IOException | RuntimeException e) {
      // Leave the exchange open and let the exception escape: the JDK server then closes the
      // socket, which is what the client must see for a dropped or truncated response.
      throw e instanceof IOException ? (IOException) e : new IOException(e);
    }
    exchange.close();
  }

  private void respond(HttpExchange exchange) throws IOException {
    RecordedRequest request = record(exchange);
    log.add(request);
    Fault fault = takeFault(request);
    if (fault != null && fault.kind() == Fault.Kind.STATUS) {
      Headers h = exchange.getResponseHeaders();
      fault.headers().forEach(h::set);
      byte[] body = ("fault " + fault.status() + "\n").getBytes(StandardCharsets.UTF_8);
      h.set("Content-Type", "text/plain");
      sendBytes(exchange, request, fault.status(), body, null);
      return;
    }
    if (fault != null && fault.kind() == Fault.Kind.REDIRECT) {
      exchange.getResponseHeaders().set("Location", fault.location().toString());
      sendBytes(exchange, request, fault.status(), new byte[0], null);
      return;
    }
    Responder stub = stubs.get(request.path());
    if (stub != null) {
      StubResponse response = stub.respond(request);
      response.headers().forEach(exchange.getResponseHeaders()::set);
      sendBytes(exchange, request, response.status(), response.body(), fault);
      return;
    }
    serveFile(exchange, request, fault);
  }

  private static RecordedRequest record(HttpExchange exchange) {
    Map<String, List<String>> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
    URI uri = exchange.getRequestURI();
    return new RecordedRequest(
        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
        uri.getPath() == null ? "/" : uri.getPath(),
        uri.getRawQuery() == null ? "" : uri.getRawQuery(),
        headers);
  }

  private Fault takeFault(RecordedRequest request) {
    Deque<ArmedFault> queue = faults.get(request.path());
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      for (var it = queue.iterator(); it.hasNext(); ) {
        ArmedFault armed = it.next();
        if (armed.fault.isBodyFault() && !request.method().equals("GET")) {
          continue;
        }
        if (armed.remaining != ALWAYS && --armed.remaining == 0) {
          it.remove();
        }
        return armed.fault;
      }
    }
    return null;
  }

  private void serveFile(HttpExchange exchange, RecordedRequest request, Fault fault)
      throws IOException {
    Path file = resolve(request.path());
    if (file == null || !Files.exists(file)) {
      Headers h = exchange.getResponseHeaders();
      h.set("Content-Type", "text/plain");
      sendBytes(
          exchange,
          request,
          404,
          ("not found: " + request.path() + "\n").getBytes(StandardCharsets.UTF_8),
          null);
      return;
    }
    if (Files.isDirectory(file)) {
      if (!request.path().endsWith("/")) {
        exchange.getResponseHeaders().set("Location", request.path() + "/");
        sendBytes(exchange, request, 301, new byte[0], null);
        return;
      }
      Path index = file.resolve("index.html");
      if (!Files.isRegularFile(index)) {
        exchange.getResponseHeaders().set("Content-Type", "text/html");
        sendBytes(exchange, request, 200, autoindex(request.path(), file), fault);
        return;
      }
      file = index;
    }
    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
    long size = attrs.size();
    Instant mtime = attrs.lastModifiedTime().toInstant();
    String etag =
        "\""
            + Long.toHexString(mtime.getEpochSecond() * 1_000_000L + mtime.getNano() / 1000)
            + "-"
            + Long.toHexString(size)
            + "\"";
    String lastModified = HTTP_DATE.format(mtime);
    Headers h = exchange.getResponseHeaders();
    h.set("Content-Type", contentType(file));
    h.set("ETag", etag);
    h.set("Last-Modified", lastModified);
    h.set("Accept-Ranges", "bytes");

    long start = 0;
    long length = size;
    int status = 200;
    boolean rangeAllowed = fault == null || fault.kind() != Fault.Kind.IGNORE_RANGE;
    String range = request.range().orElse(null);
    if (range != null && rangeAllowed && request.method().equals("GET")) {
      String ifRange = request.header("If-Range").orElse(null);
      boolean validatorMatches =
          ifRange == null || ifRange.equals(etag) || ifRange.equals(lastModified);
      long[] span = parseRange(range, size);
      if (validatorMatches && span != null) {
        if (span.length == 0) {
          h.set("Content-Range", "bytes */" + size);
          h.set("Content-Type", "text/plain");
          sendBytes(exchange, request, 416, "range not satisfiable\n".getBytes(StandardCharsets.UTF_8), null);
          return;
        }
        start = span[0];
        length = span[1] - span[0] + 1;
        status = 206;
        h.set("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
      }
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ch.position(start);
      sendStream(exchange, request, status, Channels.newInputStream(ch), length, fault);
    }
  }

  /**
   * Parses a single byte range. Returns null when the header is not one we honour (then the whole
   * file is sent), an empty array when unsatisfiable, else {first, last}.
   */
  private static long[] parseRange(String header, long size) {
    String v = header.trim();
    if (!v.regionMatches(true, 0, "bytes=", 0, 6) || v.indexOf(',') >= 0) {
      return null;
    }
    String spec = v.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix == 0 || size == 0) {
          return new long[0];
        }
        return new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (first >= size) {
        return new long[0];
      }
      if (last < first) {
        return null;
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Path resolve(String path) {
    if (root == null) {
      return null;
    }
    String rel = path.startsWith("/") ? path.substring(1) : path;
    Path p = root.resolve(rel).normalize();
    return p.startsWith(root) ? p : null;
  }

  private static String contentType(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".html") || name.endsWith(".htm")) {
      return "text/html";
    }
    if (name.endsWith(".json")) {
      return "application/json";
    }
    if (name.endsWith(".txt") || name.contains("sums") || name.contains("checksum")) {
      return "text/plain";
    }
    return "application/octet-stream";
  }

  private static byte[] autoindex(String urlPath, Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("<html>\r\n<head><title>Index of ").append(urlPath).append("</title></head>\r\n");
    sb.append("<body>\r\n<h1>Index of ").append(urlPath).append("</h1><hr><pre>");
    sb.append("<a href=\"../\">../</a>\r\n");
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().collect(Collectors.toList());
    }
    for (Path e : entries) {
      boolean isDir = Files.isDirectory(e);
      String name = e.getFileName().toString() + (isDir ? "/" : "");
      String href = encodePathSegment(name);
      String modified = INDEX_DATE.format(Files.getLastModifiedTime(e).toInstant());
      String size = isDir ? "-" : Long.toString(Files.size(e));
      sb.append("<a href=\"").append(href).append("\">").append(escapeHtml(name)).append("</a>");
      sb.append(" ".repeat(Math.max(1, 51 - name.length())));
      sb.append(modified);
      sb.append(" ".repeat(Math.max(1, 20 - size.length()))).append(size).append("\r\n");
    }
    sb.append("</pre><hr></body>\r\n</html>\r\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String encodePathSegment(String name) {
    try {
      return new URI(null, null, name, null).getRawPath();
    } catch (URISyntaxException e) {
      return name;
    }
  }

  private static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void sendBytes(
      HttpExchange exchange, RecordedRequest request, int status, byte[] body, Fault fault)
      throws IOException {
    sendStream(exchange, request, status, new java.io.ByteArrayInputStream(body), body.length, fault);
  }

  private static void sendStream(
      HttpExchange exchange,
      RecordedRequest request,
      int status,
      InputStream body,
      long length,
      Fault fault)
      throws IOException {
    Headers h = exchange.getResponseHeaders();
    boolean noBody = request.method().equals("HEAD") || status == 204 || status == 304;
    if (noBody || length == 0) {
      h.set("Content-Length", Long.toString(length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, length);
    OutputStream out = exchange.getResponseBody();
    Fault.Kind kind = fault == null ? null : fault.kind();
    if (kind == Fault.Kind.RESET || kind == Fault.Kind.TRUNCATE) {
      copy(body, out, Math.min(length, fault.bytes()), 0);
      out.flush();
      throw new IOException(kind == Fault.Kind.RESET ? "reset on purpose" : "truncated on purpose");
    } else if (kind == Fault.Kind.STALL) {
      long before = Math.min(length, fault.bytes());
      copy(body, out, before, 0);
      out.flush();
      sleep(fault.duration().toMillis());
      copy(body, out, length - before, 0);
    } else if (kind == Fault.Kind.THROTTLE) {
      copy(body, out, length, fault.bytes());
    } else {
      copy(body, out, length, 0);
    }
    out.flush();
  }

  private static void copy(InputStream in, OutputStream out, long count, long bytesPerSecond)
      throws IOException {
    int chunk = bytesPerSecond > 0 ? (int) Math.max(1, Math.min(65536, bytesPerSecond / 20)) : 65536;
    byte[] buf = new byte[chunk];
    long left = count;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("source ended early");
      }
      out.write(buf, 0, n);
      left -= n;
      if (bytesPerSecond > 0) {
        out.flush();
        sleep(Math.max(1, n * 1000L / bytesPerSecond));
      }
    }
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("test server stopping", e);
    }
  }

  private static final class ArmedFault {
    final Fault fault;
    int remaining;

    ArmedFault(Fault fault, int remaining) {
      this.fault = fault;
      this.remaining = remaining;
    }
  }
}
