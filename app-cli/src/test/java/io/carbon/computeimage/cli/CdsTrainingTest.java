package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.testkit.disk.QemuImg;
import io.carbon.computeimage.testkit.disk.ToolRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run works only in its directory and converts a valid qcow2. */
class CdsTrainingTest {
  @TempDir Path tmp;

  @Test
  void trainingImage_validForQemuImg_andConvertedToTheSameBytes() throws Exception {
    Path work = Files.createDirectory(tmp.resolve("work"));
    CdsTraining.main(new String[] {work.toString()});

    Path qcow2 = work.resolve("train.qcow2");
    assertThat(ToolRunner.run("qemu-img", "check", qcow2.toString()).stdout())
        .contains("No errors were found");
    Path expected = tmp.resolve("expected.raw");
    QemuImg.convertToRaw(qcow2, expected);
    // data, zero, compressed, unallocated: the four kinds of cluster the converter reads
    assertThat(QemuImg.map(qcow2)).contains("\"zero\": true", "\"data\": true");
    assertThat(Files.mismatch(work.resolve("train.raw"), expected)).isEqualTo(-1L);
    assertThat(Files.mismatch(work.resolve("back.img"), expected)).isEqualTo(-1L);
    assertThat(Files.size(work.resolve("train.vhd"))).isEqualTo(Files.size(expected) + 512);

    List<String> written;
    try (Stream<Path> s = Files.list(work)) {
      written = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(written).containsExactly("back.img", "root", "train.qcow2", "train.raw", "train.vhd");
    // the container pull from the training registry ran to the end: its layer is unpacked
    // (the tests run as root, as the layer store needs)
    List<Path> motd;
    try (Stream<Path> s = Files.walk(work.resolve("root"))) {
      motd = s.filter(p -> p.endsWith(Path.of("etc", "motd"))).toList();
    }
    assertThat(motd).hasSize(1);
    assertThat(Files.readString(motd.get(0))).isEqualTo("trained\n");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("work", "expected.raw");
    }
  }
}
