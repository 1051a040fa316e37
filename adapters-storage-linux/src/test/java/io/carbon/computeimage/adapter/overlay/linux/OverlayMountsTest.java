package io.carbon.computeimage.adapter.overlay.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which overlay mount uses an image directory, read from mountinfo lines as the kernel writes them. */
final class OverlayMountsTest {
  private static final String OTHER =
      "25 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw";

  private static String overlay(String mountPoint, String superOptions) {
    return "301 25 0:77 / " + mountPoint + " rw,relatime shared:200 - overlay overlay rw," + superOptions;
  }

  @Test
  void mountUsing_lowerDirInside_namesTheMountPoint() {
    Path img = Path.of("/var/lib/carbon/127.0.0.1_5000/app/v1");
    List<String> info =
        List.of(
            OTHER,
            overlay(
                "/mnt/c1",
                "lowerdir=/var/lib/carbon/127.0.0.1_5000/app/v1/layers/01:/var/lib/carbon/127.0.0.1_5000/app/v1/layers/00,"
                    + "upperdir=/tmp/up,workdir=/tmp/work,uuid=on"));
    assertThat(OverlayMounts.mountUsing(info, img)).contains("/mnt/c1");
  }

  @Test
  void mountUsing_onlyUpperInside_stillInUse() {
    Path img = Path.of("/r/reg/app/v1");
    List<String> info =
        List.of(overlay("/mnt/x", "lowerdir=/elsewhere/l,upperdir=/r/reg/app/v1/upper,workdir=/r/reg/app/v1/work"));
    assertThat(OverlayMounts.mountUsing(info, img)).contains("/mnt/x");
  }

  @Test
  void mountUsing_octalEscapesAndSiblingPrefix_decodedAndNotConfused() {
    // a space in the mount point and in a lower dir (\040), and a sibling image v10 of v1
    List<String> info =
        List.of(
            overlay("/mnt/with\\040space", "lowerdir=/r/app/v10/layers/00,upperdir=/u,workdir=/w"),
            overlay("/mnt/b", "lowerdir=/r/app/v\\0401/layers/00,upperdir=/u2,workdir=/w2"));
    assertThat(OverlayMounts.mountUsing(info, Path.of("/r/app/v1"))).isEmpty();
    assertThat(OverlayMounts.mountUsing(info, Path.of("/r/app/v10"))).contains("/mnt/with space");
    assertThat(OverlayMounts.mountUsing(info, Path.of("/r/app/v 1"))).contains("/mnt/b");
  }

  @Test
  void mountUsing_noOverlays_empty() {
    assertThat(OverlayMounts.mountUsing(List.of(OTHER, "garbage"), Path.of("/"))).isEmpty();
  }

  @Test
  void mountUsing_relativePaths_candidatesOfTheImagesShapeAskedInTurn(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path img = java.nio.file.Files.createDirectories(tmp.resolve("reg/app/v1"));
    for (String d : List.of("layers/00", "layers/01", "upper", "work")) {
      java.nio.file.Files.createDirectories(img.resolve(d));
    }
    List<String> info = List.of(OTHER, overlay("/mnt/rel", "lowerdir=layers/01:../v1/layers/00,upperdir=upper,workdir=work"));
    List<Path> asked = new java.util.ArrayList<>();
    // the relative paths name candidates by their tail; the probe decides
    assertThat(OverlayMounts.mountUsing(info, img, (m, c) -> {
      asked.add(c);
      return false;
    })).isEmpty();
    assertThat(asked).containsExactly(img.resolve("layers/01"), img.resolve("layers/00"), img.resolve("upper"), img.resolve("work"));
    assertThat(OverlayMounts.mountUsing(info, img, (m, c) -> m.equals(Path.of("/mnt/rel")) && c.endsWith("upper")))
        .contains("/mnt/rel");
    // without a probe, relative paths never match
    assertThat(OverlayMounts.mountUsing(info, img)).isEmpty();
    // a relative path whose names are not of this image's shape is not even asked about
    asked.clear();
    OverlayMounts.mountUsing(List.of(overlay("/mnt/o", "lowerdir=other/00,upperdir=up,workdir=wk")), img, (m, c) -> asked.add(c));
    assertThat(asked).isEmpty();
  }
}
