package io.carbon.computeimage.adapter.distro.catalog;

import static io.carbon.computeimage.ports.model.Arch.AMD64;
import static io.carbon.computeimage.ports.model.Arch.ARM64;

import io.carbon.computeimage.adapter.distro.support.MirrorCatalog;
import io.carbon.computeimage.adapter.distro.support.MirrorUris;
import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Debian {@code genericcloud} images from {@code cloud.debian.org}.
 *
 * <p>Layout: {@code images/cloud/<codename>/latest/debian-<N>-genericcloud-<arch>.qcow2} with
 * {@code SHA512SUMS} (GNU) beside it; dated builds in {@code <codename>/YYYYMMDD-NNNN/} named
 * {@code debian-<N>-genericcloud-<arch>-YYYYMMDD-NNNN.qcow2}.
 */
public final class DebianCatalog extends MirrorCatalog {
  private static final Pattern DATED = Pattern.compile("(\\d{8}-\\d{3,4})/");

  /** Creates the catalog. */
  public DebianCatalog() {
    super(
        "debian",
        List.of(),
        "Debian",
        URI.create("https://cloud.debian.org/"),
        List.of(
            release("12", List.of("bookworm"), AMD64, ARM64),
            release("13", List.of("trixie"), AMD64, ARM64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String dir = codenameDir(release) + build.orElse("latest") + "/";
    String file =
        "debian-"
            + release.version()
            + "-genericcloud-"
            + arch.ociName()
            + build.map(b -> "-" + b).orElse("")
            + ".qcow2";
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + "SHA512SUMS"),
        ChecksumFormat.GNU,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    return newestListed(http, MirrorUris.join(base, codenameDir(release)), DATED);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "latest";
  }

  private static String codenameDir(DistroRelease release) {
    return "images/cloud/" + release.aliases().get(0) + "/";
  }
}
