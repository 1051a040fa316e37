package io.carbon.computeimage.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestHttpServerTest {
  @TempDir Path dir;
  private TestHttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private byte[] content;

  @BeforeEach
  void setUp() throws IOException {
    content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }
    Files.createDirectories(dir.resolve("debian/12"));
    Files.write(dir.resolve("debian/12/disk.qcow2"), content);
    Files.writeString(dir.resolve("debian/12/SHA512SUMS"), "abc  disk.qcow2\n");
    Files.createDirectories(dir.resolve("site"));
    Files.writeString(dir.resolve("site/index.html"), "<p>hello</p>");
    server = TestHttpServer.serving(dir);
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void get_file_servesWholeBodyWithValidators() throws Exception {
    HttpResponse<byte[]> r = get("/debian/12/disk.qcow2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
    assertThat(r.headers().firstValue("etag")).isPresent();
    assertThat(r.headers().firstValue("last-modified")).isPresent();
    assertThat(r.headers().firstValueAsLong("content-length")).hasValue(content.length);
    assertThat(server.requests("/debian/12/disk.qcow2")).singleElement().matches(RecordedRequest::isFullGet);
  }

  @Test
  void head_file_sendsLengthWithoutBody() throws Exception {
    HttpResponse<byte[]> r =
        client.send(
            HttpRequest.newBuilder(server.uri("/debian/12/disk.qcow2"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValueAsLong("content-length")).hasValue(content.length);
  }

  @Test
  void get_rangeWithMatchingIfRange_answers206() throws Exception {
    String etag = get("/debian/12/disk.qcow2").headers().firstValue("etag").orElseThrow();
    HttpResponse<byte[]> r = get("/debian/12/disk.qcow2", "Range", "bytes=1000-", "If-Range", etag);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("content-range")).hasValue("bytes 1000-299999/300000");
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 1000, content.length));
    assertThat(server.requests().get(1).range()).hasValue("bytes=1000-");
  }

  @Test
  void get_rangeWithStaleIfRange_answers200Full() throws Exception {
    HttpResponse<byte[]> r =
        get("/debian/12/disk.qcow2", "Range", "bytes=1000-", "If-Range", "\"stale\"");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
  }

  @Test
  void get_rangeBeyondEnd_answers416() throws Exception {
    HttpResponse<byte[]> r = get("/debian/12/disk.qcow2", "Range", "bytes=300000-");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.headers().firstValue("content-range")).hasValue("bytes */300000");
  }

  @Test
  void get_directory_listsEntriesLikeNginx() throws Exception {
    HttpResponse<byte[]> r = get("/debian/12/");
    String html = new String(r.body(), StandardCharsets.UTF_8);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(html).contains("<a href=\"disk.qcow2\">disk.qcow2</a>", "<a href=\"SHA512SUMS\">SHA512SUMS</a>");
    assertThat(new String(get("/debian/").body(), StandardCharsets.UTF_8)).contains("<a href=\"12/\">12/</a>");
    assertThat(get("/debian").statusCode()).isEqualTo(301);
    assertThat(new String(get("/site/").body(), StandardCharsets.UTF_8)).isEqualTo("<p>hello</p>");
  }

  @Test
  void get_missing_answers404() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get("/../etc/passwd").statusCode()).isEqualTo(404);
  }

  @Test
  void fault_statusTwice_thenServesFile() throws Exception {
    server.fault("/debian/12/disk.qcow2", Fault.status(500), 2);
    assertThat(get("/debian/12/disk.qcow2").statusCode()).isEqualTo(500);
    assertThat(get("/debian/12/disk.qcow2").statusCode()).isEqualTo(500);
    assertThat(get("/debian/12/disk.qcow2").statusCode()).isEqualTo(200);
  }

  @Test
  void fault_tooManyRequests_sendsRetryAfter() throws Exception {
    server.fault("/debian/12/disk.qcow2", Fault.tooManyRequests(3));
    HttpResponse<byte[]> r = get("/debian/12/disk.qcow2");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("3");
  }

  @Test
  void fault_resetAndTruncate_failTheClientMidBody() throws Exception {
    server.fault("/debian/12/disk.qcow2", Fault.resetAfter(1000));
    server.fault("/debian/12/disk.qcow2", Fault.truncateAfter(2000));
    assertThatThrownBy(() -> get("/debian/12/disk.qcow2")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> get("/debian/12/disk.qcow2")).isInstanceOf(IOException.class);
    assertThat(get("/debian/12/disk.qcow2").body()).isEqualTo(content);
  }

  @Test
  void fault_stall_delaysTheBody() throws Exception {
    server.fault("/debian/12/disk.qcow2", Fault.stallAfter(10, Duration.ofMillis(400)));
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = get("/debian/12/disk.qcow2");
    assertThat(r.body()).isEqualTo(content);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(350).toNanos());
  }

  @Test
  void fault_redirect_pointsToOtherOrigin() throws Exception {
    try (TestHttpServer other = TestHttpServer.serving(dir)) {
      server.fault("/debian/12/disk.qcow2", Fault.redirect(other.uri("/debian/12/disk.qcow2")));
      HttpResponse<byte[]> r = get("/debian/12/disk.qcow2");
      assertThat(r.statusCode()).isEqualTo(302);
      assertThat(r.headers().firstValue("location")).hasValue(other.uri("/debian/12/disk.qcow2").toString());
    }
  }

  @Test
  void fault_ignoreRange_answers200Full() throws Exception {
    server.fault("/debian/12/disk.qcow2", Fault.ignoreRange());
    HttpResponse<byte[]> r = get("/debian/12/disk.qcow2", "Range", "bytes=10-");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(content);
  }

  @Test
  void stub_responder_seesRequestHeaders() throws Exception {
    server.stub(
        "/v2/",
        req ->
            req.header("Authorization").isPresent()
                ? StubResponse.text(200, "application/json", "{}")
                : new StubResponse(401, Map.of("WWW-Authenticate", "Bearer realm=\"x\""), new byte[0]));
    assertThat(get("/v2/").statusCode()).isEqualTo(401);
    assertThat(get("/v2/", "Authorization", "Bearer t").statusCode()).isEqualTo(200);
    assertThat(server.requests("/v2/")).hasSize(2);
    assertThat(server.uri("/v2/")).isEqualTo(URI.create(server.origin() + "/v2/"));
  }
}
