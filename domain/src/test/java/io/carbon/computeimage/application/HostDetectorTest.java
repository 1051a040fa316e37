package io.carbon.computeimage.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.OsFamily;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

final class HostDetectorTest {
  private static Properties home(String h) {
    Properties p = new Properties();
    p.setProperty("user.home", h);
    return p;
  }

  @Test
  void defaultRootDir_linux_homeLocalShareCarbon() {
    assertThat(HostDetector.defaultRootDir(OsFamily.LINUX, Map.of("HOME", "/home/ann/"), home("/x")))
        .isEqualTo("/home/ann/.local/share/carbon");
    assertThat(HostDetector.defaultRootDir(OsFamily.LINUX, Map.of(), home("/root")))
        .isEqualTo("/root/.local/share/carbon");
  }

  @Test
  void defaultRootDir_windows_localAppDataCarbon() {
    assertThat(
            HostDetector.defaultRootDir(
                OsFamily.WINDOWS, Map.of("LOCALAPPDATA", "C:\\Users\\ann\\AppData\\Local"), home("C:\\Users\\ann")))
        .isEqualTo("C:\\Users\\ann\\AppData\\Local\\carbon");
    assertThat(HostDetector.defaultRootDir(OsFamily.WINDOWS, Map.of(), home("C:\\Users\\bob")))
        .isEqualTo("C:\\Users\\bob\\AppData\\Local\\carbon");
  }

  @Test
  void osFamilyAndArch_fromSystemPropertyValues() {
    assertThat(HostDetector.osFamily("Windows Server 2022")).isEqualTo(OsFamily.WINDOWS);
    assertThat(HostDetector.osFamily("Linux")).isEqualTo(OsFamily.LINUX);
    assertThat(HostDetector.osFamily("Mac OS X")).isEqualTo(OsFamily.OTHER);
    assertThat(HostDetector.arch("aarch64")).isEqualTo(Arch.ARM64);
    assertThat(HostDetector.arch("amd64")).isEqualTo(Arch.AMD64);
    assertThat(HostDetector.detect().os()).isEqualTo(OsFamily.LINUX);
  }
}
