package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.vm.VmRef;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import io.carbon.computeimage.testkit.http.SilentServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library user's cancellation stops a pull that waits on a server which accepts connections and
 * never answers (the mirror's checksum file, a registry's manifest), long before any timeout.
 */
final class CancellationEndToEndTest {
  @TempDir Path root;

  private ComputeImage images(long cancelAfterMillis) throws Exception {
    long t0 = System.nanoTime();
    Cancellation c = () -> System.nanoTime() - t0 > cancelAfterMillis * 1_000_000L;
    // a minute of patience at every step: only the cancellation can end these pulls in time
    TransferSettings patient = new TransferSettings(
        Duration.ofSeconds(60), Duration.ofSeconds(60), 4, Duration.ofSeconds(30), Duration.ofSeconds(60), "t");
    return ComputeImage.builder().rootDir(root).transferSettings(patient).cancellation(c).build();
  }

  @Test
  void vmPull_serverNeverAnswers_cancelledPromptly() throws Exception {
    try (SilentServer silent = SilentServer.start()) {
      VmRef ref = VmRef.builder().image("ubuntu:24.04").arch("amd64")
          .registry(silent.uri("").toString()).build();
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> images(300).pull(ref)).isInstanceOf(CancelledException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      assertThat(silent.connections()).isPositive();
    }
  }

  @Test
  void containerPull_registryNeverAnswers_cancelledPromptly() throws Exception {
    try (SilentServer silent = SilentServer.start()) {
      ContainerRef ref = ContainerRef.of(silent.uri("").getAuthority() + "/x/y:1");
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> images(300).pull(ref)).isInstanceOf(CancelledException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
      assertThat(silent.connections()).isPositive();
    }
  }
}
