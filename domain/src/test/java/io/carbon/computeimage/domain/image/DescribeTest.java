package io.carbon.computeimage.domain.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

final class DescribeTest {
  @Test
  void cause_fileSystemExceptions_humanTextWithoutClassNames() {
    assertThat(Describe.cause(new FileSystemException("/ro/x", null, "Read-only file system")))
        .isEqualTo("read-only file system: /ro/x");
    assertThat(Describe.cause(new NoSuchFileException("/a/b.part"))).isEqualTo("no such file or directory: /a/b.part");
    assertThat(Describe.cause(new AccessDeniedException("/p"))).isEqualTo("permission denied: /p");
  }
}
