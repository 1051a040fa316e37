package io.carbon.computeimage.adapter.distro.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class MirrorUrisTest {
  @Test
  void base_overrideWithoutSlash_replacesTheDefaultAndGainsSlash() {
    assertThat(MirrorUris.base(Optional.of(URI.create("http://127.0.0.1:8080/m")), URI.create("https://a.org/")))
        .hasToString("http://127.0.0.1:8080/m/");
    assertThat(MirrorUris.base(Optional.empty(), URI.create("https://a.org/"))).hasToString("https://a.org/");
  }

  @Test
  void join_keepsTheBasePath() {
    assertThat(MirrorUris.join(URI.create("http://h:1/mirror/"), "/alpine/v3.22/x.qcow2"))
        .hasToString("http://h:1/mirror/alpine/v3.22/x.qcow2");
    assertThat(MirrorUris.fileName(URI.create("http://h/a/b/c.qcow2.sha512"))).isEqualTo("c.qcow2.sha512");
  }
}
