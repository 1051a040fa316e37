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
 * AlmaLinux GenericCloud images from {@code repo.almalinux.org}.
 *
 * <p>Layout: {@code almalinux/<N>/cloud/<dir>/images/AlmaLinux-<N>-GenericCloud-latest.<dir>.qcow2}
 * with the directory's {@code CHECKSUM} (GNU); dated builds {@code
 * AlmaLinux-<N>-GenericCloud-<N.M>-<YYYYMMDD>[.n].<dir>.qcow2} beside it. {@code <dir>} is the
 * uname architecture, except AlmaLinux 10 on amd64: its {@code x86_64} image needs x86-64-v3, so
 * the {@code x86_64_v2} build that runs on every amd64 CPU is used.
 */
public final class AlmaLinuxCatalog extends MirrorCatalog {
  /** Creates the catalog. */
  public AlmaLinuxCatalog() {
    super(
        "almalinux",
        List.of("alma"),
        "AlmaLinux",
        URI.create("https://repo.almalinux.org/"),
        List.of(
            release("8", List.of(), AMD64, ARM64),
            release("9", List.of(), AMD64, ARM64),
            release("10", List.of(), AMD64, ARM64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String a = archDir(release, arch);
    String file =
        "AlmaLinux-" + release.version() + "-GenericCloud-" + build.orElse("latest") + "." + a + ".qcow2";
    String dir = imagesDir(release, arch);
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + "CHECKSUM"),
        ChecksumFormat.GNU,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    String n = release.version();
    Pattern dated =
        Pattern.compile(
            "AlmaLinux-"
                + n
                + "-GenericCloud-("
                + n
                + "\\.\\d+-\\d{8}(?:\\.\\d+)?)\\."
                + Pattern.quote(archDir(release, arch))
                + "\\.qcow2");
    return newestListed(http, MirrorUris.join(base, imagesDir(release, arch)), dated);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "latest";
  }

  private static String archDir(DistroRelease release, Arch arch) {
    return arch == AMD64 && release.version().equals("10") ? "x86_64_v2" : arch.unameName();
  }

  private static String imagesDir(DistroRelease release, Arch arch) {
    return "almalinux/" + release.version() + "/cloud/" + archDir(release, arch) + "/images/";
  }
}
