package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.distro.DistroCatalog;
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
import java.util.Objects;
import java.util.Optional;

/**
 * A catalog of a distro served from one mirror tree: the release table, the mapping from a
 * release, architecture and optional build to URLs, and the discovery of the newest build.
 *
 * <p>{@link #resolve} uses a pinned build when the reference names one, otherwise the newest build
 * the mirror lists, otherwise the built-in table's location; then it reads the checksum file.
 */
public abstract class MirrorCatalog implements DistroCatalog {
  private final String name;
  private final List<String> aliases;
  private final String displayName;
  private final URI defaultBase;
  private final ReleaseTable table;

  /**
   * A parsed version: the release and, when the reference pins one, the build.
   *
   * @param release the release
   * @param build the pinned build, or empty for "the newest"
   */
  protected record Request(DistroRelease release, Optional<String> build) {
    /** Validates the components. */
    public Request {
      Objects.requireNonNull(release, "release is null");
      Objects.requireNonNull(build, "build is null");
    }
  }

  /**
   * Creates the catalog.
   *
   * @param name the reference name
   * @param aliases other reference names
   * @param displayName the display name
   * @param defaultBase the real mirror base, for example {@code https://cloud.debian.org/}
   * @param releases the release table
   */
  protected MirrorCatalog(
      String name,
      List<String> aliases,
      String displayName,
      URI defaultBase,
      List<DistroRelease> releases) {
    this.name = name;
    this.aliases = List.copyOf(aliases);
    this.displayName = displayName;
    this.defaultBase = defaultBase;
    this.table = new ReleaseTable(name, releases);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<String> aliases() {
    return aliases;
  }

  @Override
  public final String displayName() {
    return displayName;
  }

  @Override
  public String defaultRegistry() {
    return defaultBase.getHost();
  }

  @Override
  public final List<DistroRelease> releases() {
    return table.releases();
  }

  @Override
  public final String canonicalVersion(String requested) throws NotFoundException {
    return parse(requested).release().version();
  }

  @Override
  public ImageLocation locate(DistroQuery query) throws NotFoundException {
    Request req = parse(query.version());
    table.requireArch(req.release(), query.arch());
    return location(req.release(), query.arch(), req.build(), base(query));
  }

  @Override
  public ResolvedImage resolve(DistroQuery query, HttpTransport http)
      throws ComputeImageException {
    Request req = parse(query.version());
    DistroRelease release = req.release();
    table.requireArch(release, query.arch());
    URI base = base(query);
    Optional<String> build =
        req.build().isPresent() ? req.build() : newestBuild(release, query.arch(), base, http);
    ImageLocation loc = location(release, query.arch(), build, base);
    Digest digest = ChecksumLookup.fetch(http, loc);
    return new ResolvedImage(
        name,
        release.version(),
        build.orElseGet(() -> tableBuild(release, query.arch())),
        query.arch(),
        loc,
        digest);
  }

  /** @return the release table */
  protected final ReleaseTable table() {
    return table;
  }

  /**
   * Returns the mirror base for a query: the override, or the distro's real mirror.
   *
   * @param query the query
   * @return the base, ending with {@code /}
   */
  protected final URI base(DistroQuery query) {
    return MirrorUris.base(query.mirror(), defaultBase);
  }

  /**
   * Returns the base for a query when the distro spreads over several hosts: the override replaces
   * every one of them.
   *
   * @param query the query
   * @param realBase the real host's base
   * @return the override when present, otherwise the real base
   */
  protected static URI base(DistroQuery query, URI realBase) {
    return MirrorUris.base(query.mirror(), realBase);
  }

  /**
   * Parses a version as typed. The default accepts canonical versions and aliases only; catalogs
   * with pinnable builds ({@code 42-1.1}, {@code 3.22.4}) override it.
   *
   * @param requested the version as typed
   * @return the request
   * @throws NotFoundException listing the valid versions
   */
  protected Request parse(String requested) throws NotFoundException {
    return new Request(table.find(requested), Optional.empty());
  }

  /**
   * Builds the location of an image.
   *
   * @param release the release
   * @param arch the architecture (published for the release)
   * @param build a build the mirror lists, or empty for the built-in table's location
   * @param base the mirror base, ending with {@code /}
   * @return the location
   */
  protected abstract ImageLocation location(
      DistroRelease release, Arch arch, Optional<String> build, URI base);

  /**
   * Asks the mirror for the newest build (directory listing or index).
   *
   * @param release the release
   * @param arch the architecture
   * @param base the mirror base
   * @param http the transport
   * @return the newest build, or empty when the mirror cannot say
   * @throws ComputeImageException transport failures
   */
  protected Optional<String> newestBuild(
      DistroRelease release, Arch arch, URI base, HttpTransport http)
      throws ComputeImageException {
    return Optional.empty();
  }

  /**
   * Names the build the built-in table's location stands for.
   *
   * @param release the release
   * @param arch the architecture
   * @return for example {@code latest} or {@code 3.22.4}
   */
  protected abstract String tableBuild(DistroRelease release, Arch arch);

  /**
   * Lists a directory and returns the newest build among the names the pattern matches.
   *
   * @param http the transport
   * @param directory the directory URL
   * @param pattern a pattern with one group, the build
   * @return the newest build, or empty when there is no listing or no match
   * @throws ComputeImageException transport failures
   */
  protected static Optional<String> newestListed(
      HttpTransport http, URI directory, java.util.regex.Pattern pattern)
      throws ComputeImageException {
    Optional<List<String>> names = DirectoryListing.fetch(http, directory);
    if (names.isEmpty()) {
      return Optional.empty();
    }
    return BuildOrder.newest(BuildOrder.builds(names.get(), pattern));
  }

  /**
   * Convenience for catalogs: a release.
   *
   * @param version the canonical version
   * @param aliases its aliases
   * @param arches the published architectures
   * @return the release
   */
  protected static DistroRelease release(String version, List<String> aliases, Arch... arches) {
    return new DistroRelease(version, aliases, java.util.Set.of(arches));
  }
}
