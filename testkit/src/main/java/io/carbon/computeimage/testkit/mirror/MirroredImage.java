package io.carbon.computeimage.testkit.mirror;

import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MirrorTreeWriter} wrote for one image build.
 *
 * @param distro the catalog name
 * @param version the canonical version
 * @param build the build, spelled as {@code ResolvedImage.build()} reports it
 * @param arch the architecture
 * @param diskUri the URL of the build's image (dated name where the distro has one)
 * @param checksumUri the URL of the checksum file that lists it
 * @param checksumFormat how that file is written
 * @param diskFile the image's file in the tree
 * @param checksumFile the checksum file in the tree
 * @param digest the image's digest, in the algorithm the distro publishes
 * @param aliasUris "latest"-style URLs that now serve this build (empty when an older build was
 *     written after a newer one, or when the distro has none)
 */
public record MirroredImage(
    String distro,
    String version,
    String build,
    Arch arch,
    URI diskUri,
    URI checksumUri,
    ChecksumFormat checksumFormat,
    Path diskFile,
    Path checksumFile,
    Digest digest,
    List<URI> aliasUris) {
  /** Validates and copies the components. */
  public MirroredImage {
    Objects.requireNonNull(distro, "distro is null");
    Objects.requireNonNull(version, "version is null");
    Objects.requireNonNull(build, "build is null");
    Objects.requireNonNull(arch, "arch is null");
    Objects.requireNonNull(diskUri, "diskUri is null");
    Objects.requireNonNull(checksumUri, "checksumUri is null");
    Objects.requireNonNull(checksumFormat, "checksumFormat is null");
    Objects.requireNonNull(diskFile, "diskFile is null");
    Objects.requireNonNull(checksumFile, "checksumFile is null");
    Objects.requireNonNull(digest, "digest is null");
    aliasUris = List.copyOf(aliasUris);
  }
}
