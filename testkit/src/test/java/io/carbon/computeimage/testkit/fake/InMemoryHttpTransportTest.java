package io.carbon.computeimage.testkit.fake;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.transfer.HttpRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class InMemoryHttpTransportTest {
  @Test
  void send_cannedAndUnmappedAndTree_answersAndRecords(@TempDir Path tmp) throws Exception {
    Files.createDirectories(tmp.resolve("d"));
    Files.writeString(tmp.resolve("d/index.html"), "<a href=\"f\">f</a>");
    Files.writeString(tmp.resolve("d/f"), "file");
    URI base = URI.create("http://127.0.0.1:9/");
    InMemoryHttpTransport http =
        new InMemoryHttpTransport().put(URI.create("http://x/a"), "A").serveDirectory(base, tmp);

    assertThat(http.send(HttpRequest.get(URI.create("http://x/a"))).bodyText()).isEqualTo("A");
    assertThat(http.send(HttpRequest.get(URI.create("http://x/b"))).status()).isEqualTo(404);
    assertThat(http.send(HttpRequest.get(URI.create(base + "d/"))).bodyText()).contains("href=\"f\"");
    assertThat(http.send(HttpRequest.get(URI.create(base + "d/f"))).bodyText()).isEqualTo("file");
    assertThat(http.send(HttpRequest.get(URI.create(base + "../etc/passwd"))).status()).isEqualTo(404);
    assertThat(http.requestedUris()).hasSize(5).first().hasToString("http://x/a");
  }
}
