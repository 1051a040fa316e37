package io.carbon.computeimage.domain.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ImageReferenceTest {
  private static final String D = "sha256:" + "ab".repeat(32);

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // input | registry | apiHost | repository | tag | digest | canonical
        "ubuntu|docker.io|registry-1.docker.io|library/ubuntu|latest|-|docker.io/library/ubuntu:latest",
        "ubuntu:24.04|docker.io|registry-1.docker.io|library/ubuntu|24.04|-|docker.io/library/ubuntu:24.04",
        "library/ubuntu:24.04|docker.io|registry-1.docker.io|library/ubuntu|24.04|-|docker.io/library/ubuntu:24.04",
        "docker.io/ubuntu|docker.io|registry-1.docker.io|library/ubuntu|latest|-|docker.io/library/ubuntu:latest",
        "index.docker.io/library/ubuntu:22.04|docker.io|registry-1.docker.io|library/ubuntu|22.04|-|docker.io/library/ubuntu:22.04",
        "bitnami/redis:7|docker.io|registry-1.docker.io|bitnami/redis|7|-|docker.io/bitnami/redis:7",
        "foo/bar/baz|docker.io|registry-1.docker.io|foo/bar/baz|latest|-|docker.io/foo/bar/baz:latest",
        "localhost/app|localhost|localhost|app|latest|-|localhost/app:latest",
        "localhost:5000/app:v1|localhost:5000|localhost:5000|app|v1|-|localhost:5000/app:v1",
        "127.0.0.1:5000/team/app:1.0|127.0.0.1:5000|127.0.0.1:5000|team/app|1.0|-|127.0.0.1:5000/team/app:1.0",
        "mcr.microsoft.com/windows/nanoserver:ltsc2022|mcr.microsoft.com|mcr.microsoft.com|windows/nanoserver|ltsc2022|-|mcr.microsoft.com/windows/nanoserver:ltsc2022",
        "ghcr.io/owner/img_x.y-z:tag_1.2-3|ghcr.io|ghcr.io|owner/img_x.y-z|tag_1.2-3|-|ghcr.io/owner/img_x.y-z:tag_1.2-3",
        "Registry.Example.com/app|Registry.Example.com|Registry.Example.com|app|latest|-|Registry.Example.com/app:latest",
        "a__b/c--d|docker.io|registry-1.docker.io|a__b/c--d|latest|-|docker.io/a__b/c--d:latest",
        "myhost:5000/app|myhost:5000|myhost:5000|app|latest|-|myhost:5000/app:latest",
      })
  void parse_validReference_normalisedAsDocker(
      String input,
      String registry,
      String apiHost,
      String repository,
      String tag,
      String digest,
      String canonical)
      throws Exception {
    ImageReference r = ImageReference.parse(input);
    assertThat(r.registry()).isEqualTo(registry);
    assertThat(r.apiHost()).isEqualTo(apiHost);
    assertThat(r.repository()).isEqualTo(repository);
    assertThat(r.tag()).contains(tag);
    assertThat(r.digest()).isEmpty();
    assertThat(r.toString()).isEqualTo(canonical);
    assertThat(ImageReference.parse(r.toString())).isEqualTo(r);
  }

  @org.junit.jupiter.api.Test
  void parse_digestReference_pulledByDigest() throws Exception {
    ImageReference r = ImageReference.parse("alpine@" + D);
    assertThat(r.repository()).isEqualTo("library/alpine");
    assertThat(r.tag()).isEmpty();
    assertThat(r.digest()).hasValueSatisfying(d -> assertThat(d.toString()).isEqualTo(D));
    assertThat(r.registryReference()).isEqualTo(D);
    assertThat(r.toRegistryImage().isDigestReference()).isTrue();
  }

  @org.junit.jupiter.api.Test
  void parse_tagAndDigest_digestWins() throws Exception {
    ImageReference r = ImageReference.parse("localhost:5000/app:1.0@" + D);
    assertThat(r.registry()).isEqualTo("localhost:5000");
    assertThat(r.tag()).contains("1.0");
    assertThat(r.registryReference()).isEqualTo(D);
    assertThat(r.toString()).isEqualTo("localhost:5000/app:1.0@" + D);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "Ubuntu",
        "docker.io/Library/ubuntu",
        "ubuntu:",
        "ubuntu:-bad",
        "ubuntu@sha256:zz",
        "ubuntu@md5:0123",
        "ubuntu@sha256:abc",
        "ubuntu@SHA256:abababababababababababababababababababababababababababababababab",
        "ubuntu@Sha256:abababababababababababababababababababababababababababababababab",
        "ubuntu@sha256:ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
        "/ubuntu",
        "ubuntu/",
        "a//b",
        "-a/b",
        "ubuntu:tag:tag",
        " ubuntu",
        "host:notaport/app",
        "a/../b",
        "host:99999/x",
        "127.0.0.1:70000/x",
        "127.0.0.1:0/x",
        "[::1]:123456/x",
        "host:0000000001/x",
      })
  void parse_invalidReference_throwsNamingInput(String input) {
    assertThatThrownBy(() -> ImageReference.parse(input))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(input.isBlank() ? "empty" : input);
  }

  @org.junit.jupiter.api.Test
  void parse_nameTooLong_refused() {
    String longName = "a".repeat(250) + "/b".repeat(5);
    assertThatThrownBy(() -> ImageReference.parse(longName))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("longer than 255");
  }
}
