package io.carbon.computeimage.adapter.distro.catalog;

import static io.carbon.computeimage.ports.model.Arch.AMD64;
import static io.carbon.computeimage.ports.model.Arch.ARM64;

import io.carbon.computeimage.adapter.distro.support.ChecksumLookup;
import io.carbon.computeimage.adapter.distro.support.MirrorCatalog;
import io.carbon.computeimage.adapter.distro.support.MirrorUris;
import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.distro.ResolvedImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fedora Cloud Base Generic images.
 *
 * <p>Layout: {@code pub/fedora/linux/releases/<N>/Cloud/<a>/images/Fedora-Cloud-Base-Generic-<N>-<build>.<a>.qcow2}
 * on {@code download.fedoraproject.org}; once a release is end-of-life it moves to {@code
 * pub/archive/fedora/linux/releases/...} on {@code archives.fedoraproject.org}. The checksum file
 * {@code Fedora-Cloud-<N>-<build>-<a>-CHECKSUM} is BSD style inside a PGP clear-signed message.
 *
 * <p>{@code fedora:42} resolves to the newest build the images directory lists (current tree
 * first for a supported release, archive first for an archived one); {@code fedora:42-1.1} pins
 * the build. A mirror override replaces both hosts and keeps both paths.
 */
public final class FedoraCatalog extends MirrorCatalog {
  private static final URI CURRENT = URI.create("https://download.fedoraproject.org/");
  private static final URI ARCHIVE = URI.create("https://archives.fedoraproject.org/");
  private static final Pattern VERSION = Pattern.compile("(\\d+)(?:-(\\d+(?:\\.\\d+)*))?");
  /** The built-in builds; both releases are past end of life and live in the archive. */
  private static final Map<String, String> TABLE_BUILD = Map.of("41", "1.4", "42", "1.1");

  private static final java.util.Set<String> ARCHIVED = java.util.Set.of("41", "42");

  /** Creates the catalog. */
  public FedoraCatalog() {
    super(
        "fedora",
        List.of(),
        "Fedora",
        CURRENT,
        List.of(release("41", List.of(), AMD64, ARM64), release("42", List.of(), AMD64, ARM64)));
  }

  @Override
  protected Request parse(String requested) throws NotFoundException {
    Matcher m = VERSION.matcher(requested.strip());
    if (!m.matches()) {
      throw table().unknownVersion(requested);
    }
    DistroRelease release =
        table().lookup(m.group(1)).orElseThrow(() -> table().unknownVersion(requested));
    return new Request(release, Optional.ofNullable(m.group(2)));
  }

  @Override
  public ImageLocation locate(DistroQuery query) throws NotFoundException {
    Request req = parse(query.version());
    table().requireArch(req.release(), query.arch());
    boolean archived = ARCHIVED.contains(req.release().version());
    return location(req.release(), query.arch(), req.build(), treeBase(query, archived), archived);
  }

  @Override
  public ResolvedImage resolve(DistroQuery query, HttpTransport http)
      throws ComputeImageException {
    Request req = parse(query.version());
    DistroRelease release = req.release();
    Arch arch = query.arch();
    table().requireArch(release, arch);
    boolean archivedFirst = ARCHIVED.contains(release.version());
    boolean[] order = {archivedFirst, !archivedFirst};

    Optional<String> build = req.build();
    if (build.isEmpty()) {
      for (boolean archived : order) {
        URI dir = MirrorUris.join(treeBase(query, archived), imagesDir(release, arch, archived));
        Optional<String> newest = newestListed(http, dir, dated(release, arch));
        if (newest.isPresent()) {
          return resolved(release, arch, newest.get(), query, archived, http);
        }
      }
    }
    String b = build.orElse(TABLE_BUILD.get(release.version()));
    ImageLocation first = location(release, arch, Optional.of(b), treeBase(query, order[0]), order[0]);
    Optional<Digest> digest = ChecksumLookup.fetchIfPresent(http, first);
    if (digest.isPresent()) {
      return new ResolvedImage(name(), release.version(), release.version() + "-" + b, arch, first, digest.get());
    }
    return resolved(release, arch, b, query, order[1], http);
  }

  private ResolvedImage resolved(
      DistroRelease release, Arch arch, String build, DistroQuery query, boolean archived, HttpTransport http)
      throws ComputeImageException {
    ImageLocation loc =
        location(release, arch, Optional.of(build), treeBase(query, archived), archived);
    Digest digest = ChecksumLookup.fetch(http, loc);
    return new ResolvedImage(
        name(), release.version(), release.version() + "-" + build, arch, loc, digest);
  }

  @Override
  protected ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base) {
    return location(release, arch, build, base, ARCHIVED.contains(release.version()));
  }

  private static ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base, boolean archived) {
    String n = release.version();
    String b = build.orElse(TABLE_BUILD.get(n));
    String a = arch.unameName();
    String dir = imagesDir(release, arch, archived);
    String file = "Fedora-Cloud-Base-Generic-" + n + "-" + b + "." + a + ".qcow2";
    String sums = "Fedora-Cloud-" + n + "-" + b + "-" + a + "-CHECKSUM";
    return new ImageLocation(
        MirrorUris.join(base, dir + file), MirrorUris.join(base, dir + sums), ChecksumFormat.BSD, file);
  }

  @Override
  protected String tableBuild(DistroRelease release, Arch arch) {
    return release.version() + "-" + TABLE_BUILD.get(release.version());
  }

  private static URI treeBase(DistroQuery query, boolean archived) {
    return base(query, archived ? ARCHIVE : CURRENT);
  }

  private static Pattern dated(DistroRelease release, Arch arch) {
    return Pattern.compile(
        "Fedora-Cloud-Base-Generic-"
            + release.version()
            + "-(\\d+(?:\\.\\d+)*)\\."
            + Pattern.quote(arch.unameName())
            + "\\.qcow2");
  }

  private static String imagesDir(DistroRelease release, Arch arch, boolean archived) {
    return (archived ? "pub/archive/fedora/linux/releases/" : "pub/fedora/linux/releases/")
        + release.version()
        + "/Cloud/"
        + arch.unameName()
        + "/images/";
  }
}
