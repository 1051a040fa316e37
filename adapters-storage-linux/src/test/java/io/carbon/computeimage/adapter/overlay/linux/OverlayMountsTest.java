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

  /** A probe that records the candidates it is asked about and answers from a set. */
  private static OverlayMounts.Probe probe(List<Path> shape, List<Path> asked, java.util.function.BiPredicate<Path, Path> shows) {
    return new OverlayMounts.Probe() {
      @Override
      public Object identity(Path p) {
        return null;
      }

      @Override
      public boolean showsContentOf(Path mountPoint, Path candidate) {
        asked.add(candidate);
        return shows.test(mountPoint, candidate);
      }

      @Override
      public List<Path> shape(Path dir) {
        return shape;
      }
    };
  }

  @Test
  void mountUsing_relativePaths_candidatesOfTheImagesShapeAskedInTurn() {
    Path img = Path.of("/r/reg/app/v1");
    List<Path> shape = List.of(img, img.resolve("layers"), img.resolve("layers/00"), img.resolve("layers/01"),
        img.resolve("upper"), img.resolve("work"));
    List<String> info = List.of(OTHER, overlay("/mnt/rel", "lowerdir=layers/01:../v1/layers/00,upperdir=upper,workdir=work"));
    List<Path> asked = new java.util.ArrayList<>();
    assertThat(OverlayMounts.mountUsing(List.of(OverlayMounts.Table.own(info)), img, probe(shape, asked, (m, c) -> false)))
        .isEmpty();
    assertThat(asked).contains(img.resolve("layers/01"), img.resolve("layers/00"), img.resolve("upper"), img.resolve("work"));
    asked.clear();
    assertThat(OverlayMounts.mountUsing(List.of(OverlayMounts.Table.own(info)), img,
        probe(shape, asked, (m, c) -> m.equals(Path.of("/mnt/rel")) && c.equals(img.resolve("upper")))))
        .contains("/mnt/rel");
    // text only: relative paths never match
    assertThat(OverlayMounts.mountUsing(info, img)).isEmpty();
  }

  @Test
  void candidates_subdirectoryOfALayer_fromTheImageOrFromInsideTheLayer() {
    Path img = Path.of("/r/app/1");
    List<Path> shape = List.of(img, img.resolve("layers"), img.resolve("layers/01"));
    assertThat(OverlayMounts.candidates(shape, Path.of("layers/01/usr"))).contains(img.resolve("layers/01/usr"));
    assertThat(OverlayMounts.candidates(shape, Path.of("usr"))).contains(img.resolve("layers/01/usr"));
    assertThat(OverlayMounts.candidates(shape, Path.of("../1/layers/01"))).contains(img.resolve("layers/01"));
    assertThat(OverlayMounts.candidates(shape, Path.of("."))).contains(img);
  }

  @Test
  void mountUsing_commaAndBackslashInPaths_unescapedInTheRightOrder() {
    // the path "/r/a,b\c/1": mount options write ',' as '\,' and '\' as '\\'; mountinfo then
    // writes each backslash as \134 and the comma as \054
    List<String> info = List.of(overlay("/mnt/c", "lowerdir=/r/a\\134\\054b\\134\\134c/1/layers/00,upperdir=/u,workdir=/w"));
    assertThat(OverlayMounts.directories(info.get(0).substring(info.get(0).indexOf(" - ") + 3).split(" ")[2]))
        .contains("/r/a,b\\c/1/layers/00");
    assertThat(OverlayMounts.mountUsing(info, Path.of("/r/a,b\\c/1"))).contains("/mnt/c");
  }
}
