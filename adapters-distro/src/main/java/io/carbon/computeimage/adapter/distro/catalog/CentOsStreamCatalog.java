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
 * CentOS Stream GenericCloud images from {@code cloud.centos.org}.
 *
 * <p>Layout: {@code centos/<N>-stream/<a>/images/CentOS-Stream-GenericCloud-<N>-latest.<a>.qcow2}
 * with a per-file {@code .SHA256SUM} (BSD); dated builds {@code
 * CentOS-Stream-GenericCloud-<N>-<YYYYMMDD>.<n>.<a>.qcow2} beside it.
 */
public final class CentOsStreamCatalog extends MirrorCatalog {
  /** Creates the catalog. */
  public CentOsStreamCatalog() {
    super(
        "centos",
        List.of("centos-stream"),
        "CentOS Stream",
        URI.create("https://cloud.centos.org/"),
        List.of(
            release("9", List.of("9-stream"), AMD64, ARM64),
            release("10", List.of("10-stream"), AMD64, ARM64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String file =
        "CentOS-Stream-GenericCloud-"
            + release.version()
            + "-"
            + build.orElse("latest")
            + "."
            + arch.unameName()
            + ".qcow2";
    String dir = imagesDir(release, arch);
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + file + ".SHA256SUM"),
        ChecksumFormat.BSD,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    Pattern dated =
        Pattern.compile(
            "CentOS-Stream-GenericCloud-"
                + release.version()
                + "-(\\d{8}\\.\\d+)\\."
                + Pattern.quote(arch.unameName())
                + "\\.qcow2");
    return newestListed(http, MirrorUris.join(base, imagesDir(release, arch)), dated);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "latest";
  }

  private static String imagesDir(DistroRelease release, Arch arch) {
    return "centos/" + release.version() + "-stream/" + arch.unameName() + "/images/";
  }
}
