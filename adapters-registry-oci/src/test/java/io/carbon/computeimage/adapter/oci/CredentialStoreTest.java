package io.carbon.computeimage.adapter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.adapter.oci.auth.CredentialStore;
import io.carbon.computeimage.adapter.oci.auth.Credentials;
import io.carbon.computeimage.ports.error.UnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class CredentialStoreTest {
  @TempDir Path dir;

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, String> dockerConfig(String json) throws Exception {
    Files.writeString(dir.resolve("config.json"), json);
    return Map.of("DOCKER_CONFIG", dir.toString());
  }

  @Test
  void find_hubLegacyKey_matchesDockerIo() throws Exception {
    CredentialStore s = new CredentialStore(dockerConfig(
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("u:p") + "\"}}}"));
    Optional<Credentials> c = s.find("docker.io", "library/ubuntu");
    assertThat(c).hasValueSatisfying(x -> {
      assertThat(x.username()).isEqualTo("u");
      assertThat(x.secret()).isEqualTo("p");
      assertThat(x.identityToken()).isFalse();
    });
  }

  @Test
  void find_schemeAndPathInKey_normalised() throws Exception {
    CredentialStore s = new CredentialStore(dockerConfig(
        "{\"auths\":{\"http://my.reg:5000/v2/\":{\"username\":\"a\",\"password\":\"b:c\"}}}"));
    assertThat(s.find("my.reg:5000", "x")).hasValueSatisfying(x -> assertThat(x.secret()).isEqualTo("b:c"));
    assertThat(s.find("other.reg", "x")).isEmpty();
  }

  @Test
  void find_identityToken_markedAsToken() throws Exception {
    CredentialStore s = new CredentialStore(dockerConfig(
        "{\"auths\":{\"reg.io\":{\"auth\":\"" + b64("<token>:") + "\",\"identitytoken\":\"refresh\"}}}"));
    assertThat(s.find("reg.io", "x")).hasValueSatisfying(x -> {
      assertThat(x.identityToken()).isTrue();
      assertThat(x.secret()).isEqualTo("refresh");
    });
  }

  @Test
  void find_authJsonPerRepository_mostSpecificWins() throws Exception {
    Path auth = dir.resolve("auth.json");
    Files.writeString(auth,
        "{\"auths\":{\"reg.io\":{\"auth\":\"" + b64("all:1") + "\"},\"reg.io/team\":{\"auth\":\"" + b64("team:2") + "\"}}}");
    CredentialStore s = new CredentialStore(Map.of("REGISTRY_AUTH_FILE", auth.toString()));
    assertThat(s.find("reg.io", "team/app")).hasValueSatisfying(x -> assertThat(x.username()).isEqualTo("team"));
    assertThat(s.find("reg.io", "teamx/app")).hasValueSatisfying(x -> assertThat(x.username()).isEqualTo("all"));
  }

  @Test
  void find_xdgRuntimeAuthJson_usedAfterDockerConfig() throws Exception {
    Path xdg = dir.resolve("run");
    Files.createDirectories(xdg.resolve("containers"));
    Files.writeString(xdg.resolve("containers/auth.json"), "{\"auths\":{\"reg.io\":{\"auth\":\"" + b64("x:y") + "\"}}}");
    CredentialStore s = new CredentialStore(Map.of("XDG_RUNTIME_DIR", xdg.toString(), "HOME", dir.resolve("nohome").toString()));
    assertThat(s.find("reg.io", "a")).hasValueSatisfying(x -> assertThat(x.username()).isEqualTo("x"));
    assertThat(s.files()).containsExactly(dir.resolve("nohome/.docker/config.json"), xdg.resolve("containers/auth.json"));
  }

  @Test
  void find_malformedAuth_failsNamingFile() throws Exception {
    CredentialStore s = new CredentialStore(dockerConfig("{\"auths\":{\"reg.io\":{\"auth\":\"!!notbase64\"}}}"));
    assertThatThrownBy(() -> s.find("reg.io", "a"))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("config.json");
  }

  @Test
  void find_missingHelper_failsNamingHelper() throws Exception {
    CredentialStore s = new CredentialStore(Map.of(
        "DOCKER_CONFIG", dir.toString(), "PATH", dir.toString()));
    Files.writeString(dir.resolve("config.json"), "{\"credHelpers\":{\"reg.io\":\"nosuchhelper\"}}");
    assertThatThrownBy(() -> s.find("reg.io", "a"))
        .isInstanceOf(UnauthorizedException.class)
        .hasMessageContaining("docker-credential-nosuchhelper");
  }
}
