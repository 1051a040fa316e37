package io.carbon.computeimage.testkit.fake;

import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.distro.ResolvedImage;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.transfer.HttpRequest;
import io.carbon.computeimage.ports.transfer.HttpResult;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A minimal third-party-style distro catalog, {@code testos}, written against the ports only: the
 * shape a plugin author starts from. Versions {@code 1.0} (alias {@code one}, amd64 only) and
 * {@code 2.0} (alias {@code two}, amd64 and arm64); images at {@code
 * testos/<version>/<arch>/testos-<version>-<arch>.qcow2} with a GNU {@code SHA256SUMS} beside
 * them, below {@code https://mirror.testos.example/} or the query's mirror.
 */
public final class FakeDistroCatalog implements DistroCatalog {
  private static final URI DEFAULT_BASE = URI.create("https://mirror.testos.example/");
  private static final List<DistroRelease> RELEASES =
      List.of(
          new DistroRelease("1.0", List.of("one"), Set.of(Arch.AMD64)),
          new DistroRelease("2.0", List.of("two"), Set.of(Arch.AMD64, Arch.ARM64)));

  /** Creates the catalog. */
  public FakeDistroCatalog() {}

  @Override
  public String name() {
    return "testos";
  }

  @Override
  public String displayName() {
    return "Test OS";
  }

  @Override
  public String defaultRegistry() {
    return DEFAULT_BASE.getHost();
  }

  @Override
  public List<DistroRelease> releases() {
    return RELEASES;
  }

  @Override
  public String canonicalVersion(String requested) throws NotFoundException {
    return release(requested).version();
  }

  @Override
  public ImageLocation locate(DistroQuery query) throws NotFoundException {
    DistroRelease r = release(query.version());
    if (!r.arches().contains(query.arch())) {
      throw new NotFoundException(
          "testos " + r.version() + " has no " + query.arch() + " image: valid architectures are "
              + r.arches().stream().map(Arch::ociName).sorted().collect(Collectors.joining(", ")));
    }
    String base = query.mirror().orElse(DEFAULT_BASE).toString();
    if (!base.endsWith("/")) {
      base += "/";
    }
    String dir = base + "testos/" + r.version() + "/" + query.arch().ociName() + "/";
    String file = "testos-" + r.version() + "-" + query.arch().ociName() + ".qcow2";
    return new ImageLocation(
        URI.create(dir + file), URI.create(dir + "SHA256SUMS"), ChecksumFormat.GNU, file);
  }

  @Override
  public ResolvedImage resolve(DistroQuery query, HttpTransport http)
      throws ComputeImageException {
    ImageLocation loc = locate(query);
    HttpResult sums = http.send(HttpRequest.get(loc.checksumUri()));
    if (!sums.isSuccess()) {
      throw new TransferException("GET " + loc.checksumUri() + " failed: HTTP " + sums.status());
    }
    for (String line : sums.bodyText().split("\n")) {
      String[] parts = line.trim().split("\\s+\\*?", 2);
      if (parts.length == 2 && parts[1].equals(loc.fileName())) {
        return new ResolvedImage(
            name(), canonicalVersion(query.version()), "table", query.arch(), loc, Digest.ofHex(parts[0]));
      }
    }
    throw new NotFoundException(
        "checksum file " + loc.checksumUri() + " has no entry for " + loc.fileName());
  }

  private static DistroRelease release(String requested) throws NotFoundException {
    String r = requested.trim().toLowerCase(Locale.ROOT);
    for (DistroRelease rel : RELEASES) {
      if (rel.version().equals(r) || rel.aliases().contains(r)) {
        return rel;
      }
    }
    throw new NotFoundException(
        "unknown testos version '" + requested + "': valid versions are 1.0 (one), 2.0 (two)");
  }
}
