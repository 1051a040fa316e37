package io.carbon.computeimage.testkit.distro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.distro.ResolvedImage;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.testkit.fake.InMemoryHttpTransport;
import io.carbon.computeimage.testkit.mirror.MirrorTreeWriter;
import io.carbon.computeimage.testkit.mirror.MirroredImage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link DistroCatalog} passes. Extend it and implement {@link #catalog()}.
 *
 * <p>Covers names, the release table, canonical versions of every version and alias, {@code
 * locate} for every release and architecture under a mirror override, the errors for unknown
 * versions and architectures, and {@code resolve} against a mirror tree written by {@link
 * MirrorTreeWriter} (with and without directory listings).
 */
public abstract class DistroCatalogContractTest {
  /** A mirror override used by the location checks. */
  protected static final URI OVERRIDE = URI.create("http://127.0.0.1:9/mirror/");

  /** @return the catalog under test */
  protected abstract DistroCatalog catalog();

  @Test
  void name_isLowercaseReferenceName() {
    DistroCatalog c = catalog();
    assertThat(c.name()).matches("[a-z0-9][a-z0-9._-]*");
    assertThat(c.displayName()).isNotBlank();
    assertThat(c.aliases()).doesNotContain(c.name()).allMatch(a -> a.matches("[a-z0-9][a-z0-9._-]*"));
  }

  @Test
  void defaultRegistry_isAHostName() {
    assertThat(catalog().defaultRegistry()).matches("[a-z0-9.-]+\\.[a-z]+");
  }

  @Test
  void releases_nonEmptyWithArchesAndUniqueNames() {
    List<DistroRelease> releases = catalog().releases();
    assertThat(releases).isNotEmpty();
    List<String> names = new ArrayList<>();
    for (DistroRelease r : releases) {
      assertThat(r.arches()).as("arches of %s", r.version()).isNotEmpty();
      names.add(r.version().toLowerCase(Locale.ROOT));
      r.aliases().forEach(a -> names.add(a.toLowerCase(Locale.ROOT)));
    }
    assertThat(names).doesNotHaveDuplicates();
  }

  @Test
  void canonicalVersion_everyVersionAndAlias_mapsToTheVersion() throws Exception {
    for (DistroRelease r : catalog().releases()) {
      assertThat(catalog().canonicalVersion(r.version())).isEqualTo(r.version());
      for (String alias : r.aliases()) {
        assertThat(catalog().canonicalVersion(alias)).as("alias %s", alias).isEqualTo(r.version());
      }
    }
  }

  @Test
  void canonicalVersion_unknown_throwsListingValidVersions() {
    assertThatThrownBy(() -> catalog().canonicalVersion("no-such-version-999"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no-such-version-999")
        .hasMessageContainingAll(versions());
  }

  @Test
  void locate_unknownVersion_throwsListingValidVersions() {
    assertThatThrownBy(
            () -> catalog().locate(new DistroQuery("no-such-version-999", Arch.AMD64, Optional.empty())))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContainingAll(versions());
  }

  @Test
  void locate_everyReleaseAndArch_givesAbsoluteUrisUnderTheOverride() throws Exception {
    for (DistroRelease r : catalog().releases()) {
      for (Arch arch : r.arches()) {
        ImageLocation loc = catalog().locate(new DistroQuery(r.version(), arch, Optional.of(OVERRIDE)));
        String what = r.version() + "/" + arch;
        assertThat(loc.diskUri().isAbsolute()).as(what).isTrue();
        assertThat(loc.diskUri().toString()).as(what).startsWith(OVERRIDE.toString());
        assertThat(loc.checksumUri().toString()).as(what).startsWith(OVERRIDE.toString());
        assertThat(loc.diskUri().getPath()).as(what).endsWith("/" + loc.fileName());
        ImageLocation real = catalog().locate(new DistroQuery(r.version(), arch, Optional.empty()));
        assertThat(real.diskUri().getScheme()).as(what).isEqualTo("https");
        assertThat(real.fileName()).as(what).isEqualTo(loc.fileName());
        assertThat(real.checksumFormat()).as(what).isEqualTo(loc.checksumFormat());
      }
    }
  }

  @Test
  void locate_unpublishedArch_throwsListingValidArches() {
    for (DistroRelease r : catalog().releases()) {
      for (Arch arch : EnumSet.complementOf(EnumSet.copyOf(r.arches()))) {
        assertThatThrownBy(() -> catalog().locate(new DistroQuery(r.version(), arch, Optional.empty())))
            .isInstanceOf(NotFoundException.class)
            .hasMessageContaining(arch.ociName())
            .hasMessageContainingAll(r.arches().stream().map(Arch::ociName).toArray(String[]::new));
      }
    }
  }

  @Test
  void resolve_mirrorTreeForEveryReleaseAndArch_findsThatImage(@TempDir Path tmp) throws Exception {
    URI base = URI.create("http://127.0.0.1:9/");
    Path mirror = tmp.resolve("mirror");
    MirrorTreeWriter writer = new MirrorTreeWriter(mirror, base);
    InMemoryHttpTransport http = new InMemoryHttpTransport().serveDirectory(base, mirror);
    for (DistroRelease r : catalog().releases()) {
      for (Arch arch : r.arches()) {
        Path image = tmp.resolve("image-" + r.version() + "-" + arch);
        Files.writeString(image, "image " + r.version() + " " + arch, StandardCharsets.UTF_8);
        MirroredImage written = writer.write(catalog(), r.version(), arch, image);
        ResolvedImage resolved =
            catalog().resolve(new DistroQuery(r.version(), arch, Optional.of(base)), http);
        String what = r.version() + "/" + arch;
        assertThat(resolved.distro()).as(what).isEqualTo(catalog().name());
        assertThat(resolved.version()).as(what).isEqualTo(r.version());
        assertThat(resolved.arch()).as(what).isEqualTo(arch);
        assertThat(resolved.digest()).as(what).isEqualTo(written.digest());
        assertThat(resolved.location().diskUri().toString()).as(what).startsWith(base.toString());
        assertThat(http.requestedUris()).as(what).allMatch(u -> u.toString().startsWith(base.toString()));
      }
    }
  }

  @Test
  void resolve_mirrorWithoutListings_fallsBackToTheTable(@TempDir Path tmp) throws Exception {
    URI base = URI.create("http://127.0.0.1:9/");
    Path mirror = tmp.resolve("mirror");
    MirrorTreeWriter writer = new MirrorTreeWriter(mirror, base);
    InMemoryHttpTransport http = new InMemoryHttpTransport().serveDirectory(base, mirror);
    DistroRelease r = catalog().releases().get(0);
    Arch arch = r.arches().stream().sorted().findFirst().orElseThrow();
    Path image = tmp.resolve("image");
    Files.writeString(image, "fallback image", StandardCharsets.UTF_8);
    MirroredImage written = writer.write(catalog(), r.version(), arch, image);
    writer.removeListings();

    DistroQuery q = new DistroQuery(r.version(), arch, Optional.of(base));
    ResolvedImage resolved = catalog().resolve(q, http);

    assertThat(resolved.digest()).isEqualTo(written.digest());
    ImageLocation table = catalog().locate(q);
    assertThat(Set.of(resolved.location().diskUri())).containsAnyOf(table.diskUri(), written.diskUri());
  }

  private String[] versions() {
    return catalog().releases().stream().map(DistroRelease::version).toArray(String[]::new);
  }
}
