package io.carbon.computeimage.ports.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Tests for {@link LocalStorageException#describe}: causes without Java class names. */
final class LocalStorageExceptionTest {
  @Test
  void describe_accessDeniedOnTheSubject_permissionDeniedWithoutRepeatingThePath() {
    AccessDeniedException e = new AccessDeniedException("/tmp/r/u.qcow2");
    assertThat(LocalStorageException.describe(e, Path.of("/tmp/r/u.qcow2"))).isEqualTo("permission denied");
    assertThat(LocalStorageException.describe(e, Path.of("/tmp/r/other"))).isEqualTo("permission denied: /tmp/r/u.qcow2");
    assertThat(LocalStorageException.describe(e)).isEqualTo("permission denied: /tmp/r/u.qcow2");
  }

  @Test
  void describe_relativeSubject_matchesTheAbsoluteFileTheJdkNames() {
    NoSuchFileException e = new NoSuchFileException(Path.of("a/b.qcow2").toAbsolutePath().toString());
    assertThat(LocalStorageException.describe(e, Path.of("a/./b.qcow2"))).isEqualTo("no such file or directory");
  }

  @Test
  void describe_diskFull_lowercaseWithoutClassName() {
    // FileChannel.write on a full disk: a plain IOException whose message is strerror(ENOSPC)
    IOException e = new IOException("No space left on device");
    assertThat(LocalStorageException.describe(e)).isEqualTo("no space left on device");
    assertThat(LocalStorageException.describe(new FileSystemException("/d/x", null, "No space left on device")))
        .isEqualTo("no space left on device: /d/x");
  }

  @Test
  void describe_wrappedOrClassNamedMessages_classNamesDropped() {
    assertThat(LocalStorageException.describe(new IOException(new AccessDeniedException("/p"))))
        .isEqualTo("permission denied");
    assertThat(LocalStorageException.describe(new IOException("java.io.IOException: Input/output error")))
        .isEqualTo("input/output error");
    assertThat(LocalStorageException.describe(new IOException())).isEqualTo("I/O error");
    assertThat(LocalStorageException.describe(new FileSystemException("/only/a/path")))
        .isEqualTo("I/O error: /only/a/path");
  }

  @Test
  void describe_acronymsKeptAsWritten() {
    assertThat(LocalStorageException.describe(new IOException("EIO while reading"))).isEqualTo("EIO while reading");
  }
}
