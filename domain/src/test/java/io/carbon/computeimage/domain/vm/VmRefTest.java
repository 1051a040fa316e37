package io.carbon.computeimage.domain.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.ErrorKind;
import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.model.Arch;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class VmRefTest {
  @Test
  void of_nameAndVersion_parsesParts() throws Exception {
    VmRef ref = VmRef.of("Ubuntu:noble", "aarch64");
    assertThat(ref.name()).isEqualTo("ubuntu");
    assertThat(ref.version()).isEqualTo("noble");
    assertThat(ref.image()).isEqualTo("ubuntu:noble");
    assertThat(ref.arch()).isEqualTo(Arch.ARM64);
    assertThat(ref.registry()).isEmpty();
    assertThat(ref.mirror()).isEmpty();
    assertThat(ref.dir()).isEmpty();
    assertThat(ref.extractKernel()).isFalse();
  }

  @Test
  void builder_allOptions_keepsThem() throws Exception {
    VmRef ref =
        VmRef.builder()
            .image("fedora:42-1.1")
            .arch(Arch.AMD64)
            .registry("http://127.0.0.1:8080/pub/")
            .dir(Path.of("/tmp/root"))
            .extractKernel(true)
            .build();
    assertThat(ref.version()).isEqualTo("42-1.1");
    assertThat(ref.registry()).contains("http://127.0.0.1:8080/pub/");
    assertThat(ref.mirror()).contains(URI.create("http://127.0.0.1:8080/pub"));
    assertThat(ref.dir()).contains(Path.of("/tmp/root"));
    assertThat(ref.extractKernel()).isTrue();
    assertThat(ref.toBuilder().build()).isEqualTo(ref);
    assertThat(ref.withDir(Path.of("/x")).dir()).contains(Path.of("/x"));
  }

  @Test
  void mirror_bareHost_meansHttps() throws Exception {
    VmRef ref = VmRef.builder().image("debian:12").arch("amd64").registry("mirror.example.org:8443").build();
    assertThat(ref.mirror()).contains(URI.create("https://mirror.example.org:8443"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ubuntu", "ubuntu:", ":24.04", "ubuntu:24.04:x", "ubu ntu:24.04", "ubuntu:24 04", ""})
  void build_malformedImage_throwsInvalidReference(String image) {
    assertThatThrownBy(() -> VmRef.of(image, "amd64"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("name:version")
        .satisfies(e -> assertThat(((InvalidReferenceException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
  }

  @Test
  void build_missingArch_namesImageAndValidArches() {
    assertThatThrownBy(() -> VmRef.builder().image("debian:12").build())
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("debian:12")
        .hasMessageContaining("amd64, arm64");
  }

  @Test
  void build_unknownArch_listsValidOnes() {
    assertThatThrownBy(() -> VmRef.of("debian:12", "riscv64"))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("riscv64")
        .hasMessageContaining("amd64, arm64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://mirror", "http://", "http://host/path?q=1", "bad host", "host:port:x"})
  void build_badRegistry_throwsNamingIt(String registry) {
    assertThatThrownBy(() -> VmRef.builder().image("debian:12").arch("amd64").registry(registry).build())
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining(registry);
  }
}
