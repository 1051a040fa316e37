package io.carbon.computeimage.adapter.overlay.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PosixFs#lstat} (statx) reports exactly what NIO's {@code unix:} attributes report. */
class PosixFsLstatTest {
  @TempDir Path tmp;

  @Test
  void everyKindOfNode_sameAsNio() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    PosixFs.lchown(file, 1234, 5678); // before chmod: chown clears the setuid bit
    PosixFs.chmod(file, 04751); // setuid and odd permission bits survive
    PosixFs.setTimesNoFollow(file, 1_600_000_000L, 123_456_789);
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    PosixFs.chmod(dir, 01777);
    Path link = tmp.resolve("link");
    PosixFs.symlink("no/such/target", link);
    PosixFs.setTimesNoFollow(link, 1_500_000_000L, 5);
    Path whiteout = tmp.resolve("wh");
    PosixFs.mknod(whiteout, PosixFs.S_IFCHR, 0);
    Path device = tmp.resolve("dev");
    PosixFs.mknod(device, PosixFs.S_IFCHR | 0640, PosixFs.makedev(4095, (1 << 20) - 1)); // the largest the kernel keeps
    Path fifo = tmp.resolve("fifo");
    PosixFs.mknod(fifo, PosixFs.S_IFIFO | 0600, 0);

    for (Path p : new Path[] {file, dir, link, whiteout, device, fifo, tmp}) {
      assertThat(PosixFs.lstat(p)).as(p.toString()).isEqualTo(PosixFs.lstatNio(p));
    }
    LinkStat f = PosixFs.lstat(file);
    assertThat(f.mode()).isEqualTo(0100000 | 04751);
    assertThat(f.uid()).isEqualTo(1234);
    assertThat(f.gid()).isEqualTo(5678);
    assertThat(f.mtimeSeconds()).isEqualTo(1_600_000_000L);
    assertThat(f.mtimeNanos()).isEqualTo(123_456_789);
    assertThat(PosixFs.lstat(link).mode() & 0170000).isEqualTo(0120000); // not followed
    assertThat(PosixFs.lstat(device).rdev()).isEqualTo(PosixFs.makedev(4095, (1 << 20) - 1));
    assertThat(PosixFs.lstat(whiteout).rdev()).isZero();
    assertThat(FileTime.from(Instant.ofEpochSecond(f.mtimeSeconds(), f.mtimeNanos())))
        .isEqualTo(Files.getLastModifiedTime(file));
  }

  @Test
  void missingPath_null_likeNio() throws IOException {
    assertThat(PosixFs.lstat(tmp.resolve("absent"))).isNull();
    assertThat(PosixFs.lstatNio(tmp.resolve("absent"))).isNull();
  }

  @Test
  void componentNotADirectory_failureNamingPathAndCall() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    assertThatThrownBy(() -> PosixFs.lstat(file.resolve("below")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("statx")
        .hasMessageContaining(file.resolve("below").toString());
  }
}
