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
 * Ubuntu server cloud images from {@code cloud-images.ubuntu.com}.
 *
 * <p>Layout: {@code releases/<codename>/release/ubuntu-<ver>-server-cloudimg-<arch>.img} (qcow2),
 * checksums in the directory's {@code SHA256SUMS} ({@code hex *file}). Dated builds live in
 * sibling directories {@code release-YYYYMMDD[.n]/}; the newest listed one is used. A codename
 * and its number mean the same release image.
 */
public final class UbuntuCatalog extends MirrorCatalog {
  private static final Pattern DATED = Pattern.compile("release-(\\d{8}(?:\\.\\d+)?)/");

  /** Creates the catalog. */
  public UbuntuCatalog() {
    super(
        "ubuntu",
        List.of(),
        "Ubuntu",
        URI.create("https://cloud-images.ubuntu.com/"),
        List.of(
            release("22.04", List.of("jammy"), AMD64, ARM64),
            release("24.04", List.of("noble"), AMD64, ARM64),
            release("25.10", List.of("questing"), AMD64, ARM64),
            release("26.04", List.of("resolute"), AMD64, ARM64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String dir = releaseDir(release) + build.map(b -> "release-" + b).orElse("release") + "/";
    String file = "ubuntu-" + release.version() + "-server-cloudimg-" + arch.ociName() + ".img";
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + "SHA256SUMS"),
        ChecksumFormat.GNU_BINARY,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    return newestListed(http, MirrorUris.join(base, releaseDir(release)), DATED);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "release";
  }

  private static String releaseDir(DistroRelease release) {
    return "releases/" + release.aliases().get(0) + "/";
  }
}
