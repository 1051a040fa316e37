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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * openSUSE Minimal-VM Cloud images from {@code download.opensuse.org}.
 *
 * <p>Layout ({@code <a>} is the uname architecture):
 *
 * <ul>
 *   <li>Tumbleweed x86_64: {@code tumbleweed/appliances/openSUSE-Tumbleweed-Minimal-VM.x86_64-Cloud.qcow2}
 *   <li>Tumbleweed aarch64: {@code ports/aarch64/tumbleweed/appliances/...aarch64-Cloud.qcow2}
 *   <li>Leap 15.6: {@code distribution/leap/15.6/appliances/openSUSE-Leap-15.6-Minimal-VM.<a>-Cloud.qcow2}
 *   <li>Leap 16.0: {@code distribution/leap/16.0/appliances/Leap-16.0-Minimal-VM.<a>-Cloud.qcow2}
 * </ul>
 *
 * <p>Each file has a per-file {@code .sha256} (GNU). Versioned builds sit in the same directory:
 * {@code <stem>-1.0.0-Cloud-Snapshot<YYYYMMDD>.qcow2} (Tumbleweed), {@code
 * <stem>-<M.m.p>-Cloud-Build<N.N>.qcow2} (Leap); a build is written {@code 1.0.0-Snapshot20250101}
 * or {@code 15.6.0-Build2.95}.
 */
public final class OpenSuseCatalog extends MirrorCatalog {
  private static final Pattern BUILD = Pattern.compile("([0-9.]+)-((?:Snapshot|Build)[0-9.]+)");

  /** Creates the catalog. */
  public OpenSuseCatalog() {
    super(
        "opensuse",
        List.of("opensuse-leap", "opensuse-tumbleweed"),
        "openSUSE",
        URI.create("https://download.opensuse.org/"),
        List.of(
            release("tumbleweed", List.of("latest"), AMD64, ARM64),
            release("15.6", List.of(), AMD64, ARM64),
            release("16.0", List.of(), AMD64, ARM64)));
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    String stem = stem(release, arch);
    String file =
        build
            .map(
                b -> {
                  Matcher m = BUILD.matcher(b);
                  if (!m.matches()) {
                    throw new IllegalArgumentException("not an openSUSE build: " + b);
                  }
                  return stem + "-" + m.group(1) + "-Cloud-" + m.group(2) + ".qcow2";
                })
            .orElse(stem + "-Cloud.qcow2");
    String dir = appliancesDir(release, arch);
    return new ImageLocation(
        MirrorUris.join(base, dir + file),
        MirrorUris.join(base, dir + file + ".sha256"),
        ChecksumFormat.GNU,
        file);
  }

  @Override
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    Pattern versioned =
        Pattern.compile(
            Pattern.quote(stem(release, arch))
                + "-([0-9.]+-Cloud-(?:Snapshot|Build)[0-9.]+)\\.qcow2");
    return newestListed(http, MirrorUris.join(base, appliancesDir(release, arch)), versioned)
        .map(b -> b.replace("-Cloud-", "-"));
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return "latest";
  }

  private static boolean tumbleweed(DistroRelease release) {
    return release.version().equals("tumbleweed");
  }

  private static String stem(DistroRelease release, Arch arch) {
    String a = arch.unameName();
    if (tumbleweed(release)) {
      return "openSUSE-Tumbleweed-Minimal-VM." + a;
    }
    String prefix = release.version().startsWith("15.") ? "openSUSE-Leap-" : "Leap-";
    return prefix + release.version() + "-Minimal-VM." + a;
  }

  private static String appliancesDir(DistroRelease release, Arch arch) {
    if (tumbleweed(release)) {
      return (arch == AMD64 ? "" : "ports/" + arch.unameName() + "/") + "tumbleweed/appliances/";
    }
    return "distribution/leap/" + release.version() + "/appliances/";
  }
}
