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
 * Rocky Linux GenericCloud images from {@code dl.rockylinux.org}.
 *
 * <p>Layout: {@code pub/rocky/<N>/images/<uname-arch>/Rocky-<N>-GenericCloud.latest.<a>.qcow2}
 * (Rocky 10: {@code Rocky-10-GenericCloud-Base.latest.<a>.qcow2}), each with a per-file {@code
 * .CHECKSUM} (BSD); dated builds {@code Rocky-<N>-GenericCloud-Base-<N.M>-<YYYYMMDD>.<job>.<a>.qcow2}
 * in the same directory.
 */
public final class RockyCatalog extends MirrorCatalog {
  /** Creates the catalog. */
  public RockyCatalog() {
    super(
        "rocky",
        List.of("rockylinux"),
        "Rocky Linux",
        URI.create("https://dl.rockylinux.org/"),
        List.of(
            release("8", List.of(), AMD64, ARM64),
            release("9", List.of(), AMD64, ARM64),
            release("10", List.of(), AMD64, ARM64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String n = release.version();
    String a = arch.unameName();
    String file =
        build
            .map(b -> "Rocky-" + n + "-GenericCloud-Base-" + b + "." + a + ".qcow2")
            .orElseGet(
                () ->
                    "Rocky-"
                        + n
                        + (n.equals("8") || n.equals("9") ? "-GenericCloud" : "-GenericCloud-Base")
                        + ".latest."
                        + a
                        + ".qcow2");
    String dir = imagesDir(release, arch);
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + file + ".CHECKSUM"),
        ChecksumFormat.BSD,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    String n = release.version();
    Pattern dated =
        Pattern.compile(
            "Rocky-"
                + n
                + "-GenericCloud-Base-("
                + n
                + "\\.\\d+-\\d{8}\\.\\d+)\\."
                + Pattern.quote(arch.unameName())
                + "\\.qcow2");
    return newestListed(http, MirrorUris.join(base, imagesDir(release, arch)), dated);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "latest";
  }

  private static String imagesDir(DistroRelease release, Arch arch) {
    return "pub/rocky/" + release.version() + "/images/" + arch.unameName() + "/";
  }
}
