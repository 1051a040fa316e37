package io.carbon.computeimage.domain.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class PlatformSpecTest {
  @ParameterizedTest
  @CsvSource({
    "linux/amd64,linux/amd64",
    "linux/x86_64,linux/amd64",
    "linux/arm64,linux/arm64",
    "linux/arm64/v8,linux/arm64",
    "linux/aarch64,linux/arm64",
    "linux/arm,linux/arm/v7",
    "linux/arm/7,linux/arm/v7",
    "linux/arm/v6,linux/arm/v6",
    "linux/armhf,linux/arm/v7",
    "Linux/AMD64,linux/amd64",
    "windows/amd64,windows/amd64",
  })
  void parse_validPlatform_normalised(String in, String expected) throws Exception {
    assertThat(PlatformSpec.parse(in).toString()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "linux", "linux/", "/amd64", "linux/amd64/v1/x", "linux amd64", "", "linux/../..",
        "linux/..", "./amd64", "linux/amd64/.", "linux/-amd64"
      })
  void parse_malformed_refused(String in) {
    assertThatThrownBy(() -> PlatformSpec.parse(in))
        .isInstanceOf(InvalidReferenceException.class)
        .hasMessageContaining("os/arch[/variant]");
  }

  @Test
  void ofHost_linuxArm64_linuxArm64() {
    assertThat(PlatformSpec.ofHost(new HostInfo(OsFamily.LINUX, Arch.ARM64, true)).toString())
        .isEqualTo("linux/arm64");
  }
}
