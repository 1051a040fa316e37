package io.carbon.computeimage.adapter.distro.catalog;

import static io.carbon.computeimage.ports.model.Arch.AMD64;
import static io.carbon.computeimage.ports.model.Arch.ARM64;

import io.carbon.computeimage.adapter.distro.support.BuildOrder;
import io.carbon.computeimage.adapter.distro.support.DirectoryListing;
import io.carbon.computeimage.adapter.distro.support.MirrorCatalog;
import io.carbon.computeimage.adapter.distro.support.MirrorUris;
import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alpine Linux {@code nocloud} cloud-init images from {@code dl-cdn.alpinelinux.org}.
 *
 * <p>Layout: {@code alpine/v<M.m>/releases/cloud/nocloud_alpine-<M.m.p>-<a>-<fw>-cloudinit-r<n>.qcow2}
 * with a per-file {@code .sha512} holding bare hex. {@code <fw>} is {@code bios} on x86_64 and
 * {@code uefi} on aarch64 (the only firmware Alpine builds there). {@code alpine:3.22} resolves to
 * the newest 3.22.x the directory lists; {@code alpine:3.22.4} pins that patch release. Builds are
 * written {@code 3.22.4}, or {@code 3.22.4-r1} for a rebuilt image.
 */
public final class AlpineCatalog extends MirrorCatalog {
  private static final Pattern VERSION = Pattern.compile("v?(\\d+\\.\\d+)(?:\\.(\\d+)(?:-r(\\d+))?)?");
  private static final Pattern BUILD = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:-r(\\d+))?");
  private static final Map<String, String> TABLE_PATCH =
      Map.of("3.20", "3.20.10", "3.21", "3.21.7", "3.22", "3.22.4", "3.23", "3.23.4");

  /** Creates the catalog. */
  public AlpineCatalog() {
    super(
        "alpine",
        List.of(),
        "Alpine Linux",
        URI.create("https://dl-cdn.alpinelinux.org/"),
        List.of(
            release("3.20", List.of(), AMD64, ARM64),
            release("3.21", List.of(), AMD64, ARM64),
            release("3.22", List.of(), AMD64, ARM64),
            release("3.23", List.of(), AMD64, ARM64)));
  }

  @Override
  protected Request parse(String requested) throws NotFoundException {
    Matcher m = VERSION.matcher(requested.strip());
    if (!m.matches()) {
      throw table().unknownVersion(requested);
    }
    DistroRelease release =
        table().lookup(m.group(1)).orElseThrow(() -> table().unknownVersion(requested));
    if (m.group(2) == null) {
      return new Request(release, Optional.empty());
    }
    String build = m.group(1) + "." + m.group(2) + (m.group(3) == null || m.group(3).equals("0") ? "" : "-r" + m.group(3));
    return new Request(release, Optional.of(build));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    Matcher m = BUILD.matcher(build.orElseGet(() -> tableBuild(release, arch)));
    if (!m.matches()) {
      throw new IllegalArgumentException("not an Alpine build: " + build);
    }
    String rev = m.group(2) == null ? "0" : m.group(2);
    String file =
        "nocloud_alpine-"
            + m.group(1)
            + "-"
            + arch.unameName()
            + "-"
            + firmware(arch)
            + "-cloudinit-r"
            + rev
            + ".qcow2";
    String dir = cloudDir(release);
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + file + ".sha512"),
        ChecksumFormat.BARE_HEX,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    Optional<List<String>> names =
        DirectoryListing.fetch(http, MirrorUris.join(base, cloudDir(release)));
    if (names.isEmpty()) {
      return Optional.empty();
    }
    Pattern image =
        Pattern.compile(
            "nocloud_alpine-("
                + Pattern.quote(release.version())
                + "\\.\\d+)-"
                + arch.unameName()
                + "-"
                + firmware(arch)
                + "-cloudinit-r(\\d+)\\.qcow2");
    List<String> builds = new ArrayList<>();
    for (String n : names.get()) {
      Matcher m = image.matcher(n);
      if (m.matches()) {
        builds.add(m.group(1) + (m.group(2).equals("0") ? "" : "-r" + m.group(2)));
      }
    }
    return BuildOrder.newest(builds);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return TABLE_PATCH.get(release.version());
  }

  private static String firmware(Arch arch) {
    return arch == AMD64 ? "bios" : "uefi";
  }

  private static String cloudDir(DistroRelease release) {
    return "alpine/v" + release.version() + "/releases/cloud/";
  }
}
