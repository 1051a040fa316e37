package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class ProgressRendererTest {
  private final AtomicLong now = new AtomicLong();
  private final StringWriter sink = new StringWriter();

  @Test
  void plain_linesAtStartDecilesAndEnd() {
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(sink), false, 80, now::get);
    r.started("t", "download x.qcow2", 10_000_000);
    for (int i = 1; i <= 100; i++) {
      now.addAndGet(10_000_000L); // 10 ms per 100 kB = 10 MB/s
      r.progressed("t", i * 100_000L);
    }
    r.finished("t");
    String[] lines = sink.toString().split("\n");
    assertThat(lines[0]).isEqualTo("download x.qcow2 (10.0 MB)");
    assertThat(lines).hasSize(1 + 9 + 1);
    assertThat(lines[5]).contains("50%").contains("5.0 MB / 10.0 MB").contains("MB/s").contains("ETA");
    assertThat(lines[10]).startsWith("download x.qcow2: 100% done, 10.0 MB in 1s");
    assertThat(sink.toString()).doesNotContain("\r");
  }

  @Test
  void terminal_redrawsWithCarriageReturnThrottled() {
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(sink), true, 100, now::get);
    r.started("t", "download y.qcow2", 500_000_000L);
    r.progressed("t", 1); // base
    for (int i = 1; i <= 50; i++) {
      now.addAndGet(20_000_000L); // 20 ms steps: a redraw every 5th step
      r.progressed("t", i * 10_000_000L);
    }
    r.note("retrying after a reset");
    r.finished("t");
    String s = sink.toString();
    long redraws = s.chars().filter(c -> c == '\r').count();
    assertThat(redraws).isBetween(10L, 16L);
    assertThat(s).contains("[").contains("ETA").contains("MB/s").contains("retrying after a reset\n");
    assertThat(s).endsWith("download y.qcow2: 100% done, 500.0 MB in 1s (500.0 MB/s)\n");
  }

  @Test
  void plain_lastReportBeforeAJumpToTheEnd_lastLineSays100PercentDone() {
    // a sparse conversion: progress jumps from 81 % (the last data) to the end (the trailing hole)
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(sink), false, 80, now::get);
    r.started("disk.img", "convert d.qcow2 (QCOW2) to RAW", 2_000_000_000L);
    for (long done = 100_000_000L; done <= 1_620_000_000L; done += 100_000_000L) {
      now.addAndGet(50_000_000L);
      r.progressed("disk.img", Math.min(done, 1_620_000_000L));
    }
    now.addAndGet(50_000_000L);
    r.progressed("disk.img", 2_000_000_000L);
    r.finished("disk.img");
    List<String> lines = sink.toString().lines().toList();
    assertThat(lines.get(lines.size() - 2)).contains("80%");
    assertThat(lines).last().asString().startsWith("convert d.qcow2 (QCOW2) to RAW: 100% done, 2.0 GB in ");
  }

  @Test
  void terminal_throttledRedraws_endLineSays100PercentDone() {
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(sink), true, 100, now::get);
    r.started("t", "unpack layer.tar.gz", 1_000_000L);
    now.addAndGet(200_000_000L);
    r.progressed("t", 810_000L); // drawn
    r.progressed("t", 990_000L); // throttled: not drawn
    r.finished("t");
    String s = sink.toString();
    assertThat(s.substring(s.lastIndexOf('\r') + 1)).startsWith("unpack layer.tar.gz: 100% done, 1.0 MB in ");
    assertThat(s).endsWith("\n");
  }

  @Test
  void plain_parallelTasks_eachProgressLineNamesItsTask() {
    ProgressRenderer r = new ProgressRenderer(new PrintWriter(sink), false, 80, now::get);
    String a = "sha256:" + "0515da6ad439".repeat(5) + "abcd";
    String b = "sha256:" + "9f86d081884c".repeat(5) + "abcd";
    r.started(a, "download https://r.example/v2/app/blobs/" + a, 1_000_000);
    r.started(b, "download https://r.example/v2/app/blobs/" + b, 2_000_000);
    now.addAndGet(500_000_000L);
    r.progressed(a, 100_000);
    r.progressed(b, 1_000_000);
    r.started("disk.img", "convert d.qcow2 (QCOW2) to RAW", 10_000_000);
    r.progressed("disk.img", 2_000_000);
    List<String> lines = sink.toString().lines().toList();
    assertThat(lines).contains(
        "  download sha256:0515da6ad439: 10% 100.0 kB / 1.0 MB",
        "  download sha256:9f86d081884c: 50% 1.0 MB / 2.0 MB",
        "  convert d.qcow2 (QCOW2) to RAW: 20% 2.0 MB / 10.0 MB");
    assertThat(lines.get(0)).isEqualTo("download https://r.example/v2/app/blobs/" + a + " (1.0 MB)");
  }

  @Test
  void shortName_urlsToTheirLastSegmentDigestsTo12Digits() {
    assertThat(ProgressRenderer.shortName("download https://cloud-images.ubuntu.com/releases/noble/release/"
        + "ubuntu-24.04-server-cloudimg-amd64.img?x=1")).isEqualTo("download ubuntu-24.04-server-cloudimg-amd64.img");
    assertThat(ProgressRenderer.shortName("download http://127.0.0.1:8080/")).isEqualTo("download http://127.0.0.1:8080");
    assertThat(ProgressRenderer.shortName("unpack layer 2 (0515da6ad439)")).isEqualTo("unpack layer 2 (0515da6ad439)");
  }

  @Test
  void duration_formats() {
    assertThat(ProgressRenderer.duration(5)).isEqualTo("5s");
    assertThat(ProgressRenderer.duration(125)).isEqualTo("2:05");
    assertThat(ProgressRenderer.duration(3725)).isEqualTo("1:02:05");
  }
}
