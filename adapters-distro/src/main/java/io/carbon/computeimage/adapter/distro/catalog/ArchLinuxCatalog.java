package io.carbon.computeimage.adapter.distro.catalog;

import static io.carbon.computeimage.ports.model.Arch.AMD64;

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
 * Arch Linux cloud images from {@code geo.mirror.pkgbuild.com} (x86_64 only: there is no official
 * arm64 image).
 *
 * <p>Layout: {@code images/latest/Arch-Linux-x86_64-cloudimg.qcow2} with a per-file {@code
 * .SHA256} (GNU); dated builds in {@code images/vYYYYMMDD.N/Arch-Linux-x86_64-cloudimg-YYYYMMDD.N.qcow2}.
 */
public final class ArchLinuxCatalog extends MirrorCatalog {
  private static final Pattern DATED = Pattern.compile("v(\\d{8}\\.\\d+)/");

  /** Creates the catalog. */
  public ArchLinuxCatalog() {
    super(
        "arch",
        List.of("archlinux"),
        "Arch Linux",
        URI.create("https://geo.mirror.pkgbuild.com/"),
        List.of(release("latest", List.of(), AMD64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String dir = "images/" + build.map(b -> "v" + b).orElse("latest") + "/";
    String file =
        "Arch-Linux-" + arch.unameName() + "-cloudimg" + build.map(b -> "-" + b).orElse("") + ".qcow2";
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + file + ".SHA256"),
        ChecksumFormat.GNU,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    return newestListed(http, MirrorUris.join(base, "images/"), DATED);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "latest";
  }
}
