package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.distro.ChecksumFormat;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A distro catalog held in memory: releases with aliases and arches, and a digest per image URL
 * that tests can change to simulate a mirror publishing a new build.
 */
public final class FakeDistroCatalog implements DistroCatalog {
  private final String name;
  private final List<String> aliases;
  private final String defaultRegistry;
  private final List<DistroRelease> releases = new ArrayList<>();
  private final Map<String, Digest> digests = new ConcurrentHashMap<>();
  private final AtomicInteger resolveCalls = new AtomicInteger();

  /**
   * @param name the distro name
   * @param defaultRegistry the default mirror host
   * @param aliases other names
   */
  public FakeDistroCatalog(String name, String defaultRegistry, String... aliases) {
    this.name = name;
    this.defaultRegistry = defaultRegistry;
    this.aliases = List.of(aliases);
  }

  /**
   * Adds a release.
   *
   * @param version canonical version
   * @param arches published arches
   * @param versionAliases codenames
   * @return this catalog
   */
  public FakeDistroCatalog withRelease(String version, Set<Arch> arches, String... versionAliases) {
    releases.add(new DistroRelease(version, List.of(versionAliases), arches));
    return this;
  }

  /**
   * Sets the digest the "mirror" publishes for an image URL.
   *
   * @param diskUri the image URL (see {@link #diskUri})
   * @param digest the digest
   */
  public void publish(URI diskUri, Digest digest) {
    digests.put(diskUri.toString(), digest);
  }

  /**
   * The image URL for a version and arch on a mirror base.
   *
   * @param base the mirror base
   * @param version canonical version
   * @param arch the arch
   * @return the URL
   */
  public URI diskUri(URI base, String version, Arch arch) {
    return URI.create(base + "/" + name + "/" + version + "/" + name + "-" + version + "-" + arch + ".qcow2");
  }

  /** @return the default mirror base */
  public URI defaultBase() {
    return URI.create("https://" + defaultRegistry);
  }

  /** @return how often {@link #resolve} was called */
  public int resolveCalls() {
    return resolveCalls.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> aliases() {
    return aliases;
  }

  @Override
  public String displayName() {
    return Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  @Override
  public String defaultRegistry() {
    return defaultRegistry;
  }

  @Override
  public List<DistroRelease> releases() {
    return List.copyOf(releases);
  }

  @Override
  public String canonicalVersion(String requested) throws NotFoundException {
    for (DistroRelease r : releases) {
      if (r.version().equals(requested) || r.aliases().contains(requested)) {
        return r.version();
      }
    }
    throw new NotFoundException(
        "unknown "
            + name
            + " version '"
            + requested
            + "': valid versions are "
            + releases.stream().map(DistroRelease::version).collect(Collectors.joining(", ")));
  }

  @Override
  public ImageLocation locate(DistroQuery query) throws NotFoundException {
    String v = canonicalVersion(query.version());
    DistroRelease rel = releases.stream().filter(r -> r.version().equals(v)).findFirst().orElseThrow();
    if (!rel.arches().contains(query.arch())) {
      throw new NotFoundException(
          name + ":" + v + " has no " + query.arch() + " image: valid architectures are " + rel.arches());
    }
    URI base = query.mirror().orElse(defaultBase());
    URI disk = diskUri(base, v, query.arch());
    return new ImageLocation(
        disk, URI.create(base + "/" + name + "/" + v + "/SHA256SUMS"), ChecksumFormat.GNU, disk.getPath());
  }

  @Override
  public ResolvedImage resolve(DistroQuery query, HttpTransport http) throws ComputeImageException {
    resolveCalls.incrementAndGet();
    ImageLocation loc = locate(query);
    Digest d = digests.get(loc.diskUri().toString());
    if (d == null) {
      throw new NotFoundException("checksum file " + loc.checksumUri() + " does not list " + loc.diskUri());
    }
    String v = canonicalVersion(query.version());
    return new ResolvedImage(name, v, v + ".1", query.arch(), loc, d);
  }
}
