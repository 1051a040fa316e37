package io.carbon.computeimage.adapter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.adapter.oci.auth.Challenge;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ChallengeTest {
  @Test
  void parse_dockerHubBearer_allParams() {
    List<Challenge> c =
        Challenge.parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/ubuntu:pull\"");
    assertThat(c).hasSize(1);
    assertThat(c.get(0).scheme()).isEqualTo("bearer");
    assertThat(c.get(0).param("realm")).contains("https://auth.docker.io/token");
    assertThat(c.get(0).param("SERVICE")).contains("registry.docker.io");
    assertThat(c.get(0).param("scope")).contains("repository:library/ubuntu:pull");
  }

  @Test
  void parse_multipleChallengesAndEscapes_split() {
    List<Challenge> c = Challenge.parse("Basic realm=\"a \\\"q\\\" b\", Bearer realm=https://x/t,service=s");
    assertThat(c).extracting(Challenge::scheme).containsExactly("basic", "bearer");
    assertThat(c.get(0).param("realm")).contains("a \"q\" b");
    assertThat(c.get(1).param("realm")).contains("https://x/t");
    assertThat(c.get(1).param("service")).contains("s");
  }

  @Test
  void parse_garbage_noCrash() {
    assertThat(Challenge.parse("=,,\"")).allSatisfy(x -> assertThat(x.scheme()).isNotEmpty());
    assertThat(Challenge.parse(null)).isEmpty();
    assertThat(Challenge.parse("")).isEmpty();
  }
}
