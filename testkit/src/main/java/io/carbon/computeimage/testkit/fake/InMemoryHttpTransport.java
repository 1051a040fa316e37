package io.carbon.computeimage.testkit.fake;

import io.carbon.computeimage.ports.error.BodyTooLargeException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link HttpTransport} that answers from a map of URI to response and records every request.
 * Unmapped URIs get a 404. It can also serve a directory tree (such as one laid out by {@code
 * MirrorTreeWriter}) below a base URI, answering a directory URL with its {@code index.html}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryHttpTransport implements HttpTransport {
  /**
   * A canned response.
   *
   * @param status the HTTP status
   * @param headers response headers, names in lower case
   * @param body the body
   */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    /** Copies the components. */
    public Response {
      headers = Map.copyOf(headers);
      body = body.clone();
    }

    /**
     * A response without headers.
     *
     * @param status the status
     * @param body the body as UTF-8 text
     * @return the response
     */
    public static Response of(int status, String body) {
      return new Response(status, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final Map<URI, Response> responses = new ConcurrentHashMap<>();
  private final Map<URI, Path> trees = new ConcurrentHashMap<>();
  private final List<HttpRequest> requests = new CopyOnWriteArrayList<>();

  /** Creates an empty transport: every request gets a 404 until responses are added. */
  public InMemoryHttpTransport() {}

  /**
   * Answers a URI with 200 and a text body.
   *
   * @param uri the URI
   * @param body the body, UTF-8
   * @return this
   */
  public InMemoryHttpTransport put(URI uri, String body) {
    return put(uri, Response.of(200, body));
  }

  /**
   * Answers a URI with a status and a text body.
   *
   * @param uri the URI
   * @param status the status
   * @param body the body, UTF-8
   * @return this
   */
  public InMemoryHttpTransport put(URI uri, int status, String body) {
    return put(uri, Response.of(status, body));
  }

  /**
   * Answers a URI with a response.
   *
   * @param uri the URI
   * @param response the response
   * @return this
   */
  public InMemoryHttpTransport put(URI uri, Response response) {
    responses.put(uri, response);
    return this;
  }

  /**
   * Removes the canned response of a URI, so it gets a 404.
   *
   * @param uri the URI
   * @return this
   */
  public InMemoryHttpTransport remove(URI uri) {
    responses.remove(uri);
    return this;
  }

  /**
   * Serves the files below a directory at a base URI: {@code base + relative path} answers with
   * the file, a directory URL (ending in {@code /}) with its {@code index.html}. Canned responses
   * take precedence.
   *
   * @param base the base URI, ending with {@code /}
   * @param root the directory
   * @return this
   */
  public InMemoryHttpTransport serveDirectory(URI base, Path root) {
    String b = base.toString();
    trees.put(URI.create(b.endsWith("/") ? b : b + "/"), root);
    return this;
  }

  /** @return every request sent so far, in order */
  public List<HttpRequest> requests() {
    return List.copyOf(requests);
  }

  /** @return the URIs of every request sent so far, in order */
  public List<URI> requestedUris() {
    List<URI> out = new ArrayList<>();
    for (HttpRequest r : requests) {
      out.add(r.uri());
    }
    return out;
  }

  /** Forgets the recorded requests. */
  public void clearRequests() {
    requests.clear();
  }

  @Override
  public HttpResult send(HttpRequest request) throws TransferException {
    requests.add(request);
    Response r = responses.get(request.uri());
    if (r == null) {
      r = fromTree(request.uri()).orElse(Response.of(404, "not found: " + request.uri()));
    }
    if (r.body().length > request.maxBodyBytes()) {
      throw new BodyTooLargeException(
          "GET " + request.uri() + ": body of " + r.body().length + " bytes exceeds the limit of "
              + request.maxBodyBytes() + " bytes",
          request.maxBodyBytes());
    }
    byte[] body = "HEAD".equals(request.method()) ? new byte[0] : r.body();
    return new HttpResult(r.status(), r.headers(), body, request.uri());
  }

  private Optional<Response> fromTree(URI uri) {
    String u = uri.toString();
    for (Map.Entry<URI, Path> t : trees.entrySet()) {
      String base = t.getKey().toString();
      if (!u.startsWith(base)) {
        continue;
      }
      String rel = u.substring(base.length());
      Path p = t.getValue().resolve(rel.isEmpty() ? "." : rel).normalize();
      if (!p.startsWith(t.getValue().normalize())) {
        return Optional.empty();
      }
      if (Files.isDirectory(p)) {
        p = p.resolve("index.html");
      }
      if (Files.isRegularFile(p)) {
        try {
          return Optional.of(new Response(200, Map.of(), Files.readAllBytes(p)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return Optional.empty();
  }
}
