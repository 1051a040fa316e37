package io.carbon.computeimage.testkit.mirror;

import io.carbon.computeimage.ports.distro.ChecksumFormat;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.distro.DistroQuery;
import io.carbon.computeimage.ports.distro.DistroRelease;
import io.carbon.computeimage.ports.distro.ImageLocation;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lays out a local copy of a distro mirror: the image at its real path, its checksum file in the
 * distro's real format (with other entries beside it, as real files have), the "latest" alias the
 * real mirror keeps, and an nginx-autoindex-style {@code index.html} in every directory, so that
 * {@code catalog.resolve(query with mirror = baseUri, http)} finds exactly that image when the
 * directory is served at {@code baseUri}.
 *
 * <p>Knows the real layouts of the built-in distros (by catalog name: ubuntu, debian, fedora,
 * opensuse, rocky, almalinux, centos, alpine, arch), including their dated build names. For any
 * other catalog it writes the image and checksum file where {@link DistroCatalog#locate} says, and
 * ignores the build.
 *
 * <p>Several builds of the same release may be written side by side (older and newer, in any
 * order): the "latest" alias and directory checksum files always describe the newest one. Build
 * spellings (as {@code ResolvedImage.build()} reports them): ubuntu {@code 20250101}, debian
 * {@code 20250101-2000}, fedora {@code 42-1.1} (or {@code 1.1}), opensuse {@code
 * 1.0.0-Snapshot20250101} / {@code 15.6.0-Build1.1}, rocky {@code 9.5-20250101.0}, almalinux
 * {@code 9.5-20250101}, centos {@code 20250101.0}, alpine {@code 3.22.4} (or {@code 3.22.4-r1}),
 * arch {@code 20250101.300000}.
 *
 * <p>Not thread-safe; use one writer per mirror directory.
 */
public final class MirrorTreeWriter {
  private static final String INDEX = "index.html";
  private static final String MTIME = "01-Jan-2025 00:00";

  private final Path root;
  private final URI baseUri;
  private final Map<Path, ChecksumFileModel> checksumFiles = new HashMap<>();
  private final Map<String, List<String>> buildsByRelease = new HashMap<>();
  private final TreeSet<Path> listedDirs = new TreeSet<>();

  /**
   * Creates a writer for one mirror directory.
   *
   * @param mirrorRoot the directory that will be served at {@code baseUri}; created when missing
   * @param baseUri the URL the directory will be served at, for example {@code
   *     http://127.0.0.1:41234/}; a path below the host is allowed
   */
  public MirrorTreeWriter(Path mirrorRoot, URI baseUri) {
    this.root = Objects.requireNonNull(mirrorRoot, "mirrorRoot is null").toAbsolutePath().normalize();
    String b = Objects.requireNonNull(baseUri, "baseUri is null").toString();
    this.baseUri = URI.create(b.endsWith("/") ? b : b + "/");
  }

  /**
   * Writes one image with the distro's default build into a fresh writer's tree.
   *
   * @param catalog the catalog
   * @param version the version as a user types it, for example {@code noble} or {@code 3.22}
   * @param arch the architecture
   * @param mirrorRoot the directory that will be served at {@code baseUri}
   * @param baseUri the URL the directory will be served at
   * @param image the image file to publish (copied)
   * @return what was written
   * @throws IOException when writing fails
   */
  public static MirroredImage write(
      DistroCatalog catalog, String version, Arch arch, Path mirrorRoot, URI baseUri, Path image)
      throws IOException {
    return new MirrorTreeWriter(mirrorRoot, baseUri).write(catalog, version, arch, image);
  }

  /** @return the mirror directory */
  public Path root() {
    return root;
  }

  /** @return the URL the mirror directory is served at, ending with {@code /} */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * Publishes an image as the distro's default build (the built-in table's build where the table
   * names one, such as Fedora's and Alpine's).
   *
   * @param catalog the catalog
   * @param version the version as a user types it
   * @param arch the architecture
   * @param image the image file (copied)
   * @return what was written
   * @throws IOException when writing fails
   */
  public MirroredImage write(DistroCatalog catalog, String version, Arch arch, Path image)
      throws IOException {
    return write(catalog, version, arch, image, null);
  }

  /**
   * Publishes an image as a given build, beside any builds written before.
   *
   * @param catalog the catalog
   * @param version the version as a user types it
   * @param arch the architecture
   * @param image the image file (copied)
   * @param build the build (see the class comment for each distro's spelling), or {@code null}
   *     for the default build
   * @return what was written
   * @throws IOException when writing fails
   * @throws IllegalArgumentException when the catalog does not know the version or architecture
   */
  public MirroredImage write(
      DistroCatalog catalog, String version, Arch arch, Path image, String build)
      throws IOException {
    String canonical;
    ImageLocation table;
    try {
      canonical = catalog.canonicalVersion(version);
      table = catalog.locate(new DistroQuery(version, arch, Optional.of(baseUri)));
    } catch (NotFoundException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    DistroRelease release =
        catalog.releases().stream()
            .filter(r -> r.version().equals(canonical))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no release " + canonical));
    Plan plan = plan(catalog.name(), release, arch, table, build);

    Path diskFile = file(plan.imageRel());
    Files.createDirectories(diskFile.getParent());
    Files.copy(image, diskFile, StandardCopyOption.REPLACE_EXISTING);
    Digest digest = digest(diskFile, plan.algorithm());
    long size = Files.size(diskFile);
    Path checksumFile = file(plan.checksumRel());
    addEntry(checksumFile, plan, plan.entryName(), digest, size);
    List<Path> written = new ArrayList<>(List.of(diskFile, checksumFile));

    String key = catalog.name() + "/" + canonical + "/" + arch;
    List<String> builds = buildsByRelease.computeIfAbsent(key, k -> new ArrayList<>());
    builds.remove(plan.build());
    builds.add(plan.build());
    boolean newest = builds.stream().allMatch(b -> BuildNumbers.compare(b, plan.build()) <= 0);
    List<URI> aliasUris = new ArrayList<>();
    for (Alias alias : plan.aliases()) {
      if (!newest) {
        continue;
      }
      Path aliasFile = file(alias.imageRel());
      Files.createDirectories(aliasFile.getParent());
      Files.deleteIfExists(aliasFile);
      try {
        Files.createLink(aliasFile, diskFile);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(diskFile, aliasFile, StandardCopyOption.REPLACE_EXISTING);
      }
      Path aliasSums = file(alias.checksumRel());
      if (alias.sidecar()) {
        checksumFiles.remove(aliasSums);
      }
      addEntry(aliasSums, plan.withSidecar(alias.sidecar()), alias.entryName(), digest, size);
      written.add(aliasFile);
      written.add(aliasSums);
      aliasUris.add(uri(alias.imageRel()));
    }
    for (String decoy : plan.decoyFiles()) {
      Path d = file(decoy);
      Files.createDirectories(d.getParent());
      Files.writeString(d, "decoy\n");
      written.add(d);
    }
    writeListings(written);
    return new MirroredImage(
        catalog.name(),
        canonical,
        plan.build(),
        arch,
        uri(plan.imageRel()),
        uri(plan.checksumRel()),
        plan.format(),
        diskFile,
        checksumFile,
        digest,
        aliasUris);
  }

  /**
   * Deletes every {@code index.html} this writer wrote, so the mirror "cannot list" and resolvers
   * fall back to their built-in tables. Later writes recreate them.
   *
   * @throws IOException when deleting fails
   */
  public void removeListings() throws IOException {
    for (Path dir : listedDirs) {
      Files.deleteIfExists(dir.resolve(INDEX));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Real mirror layouts

  private record Alias(String imageRel, String checksumRel, boolean sidecar, String entryName) {}

  private record Plan(
      String build,
      String imageRel,
      String checksumRel,
      ChecksumFormat format,
      DigestAlgorithm algorithm,
      boolean sidecar,
      boolean clearSigned,
      String entryName,
      List<Alias> aliases,
      List<String> decoyFiles) {
    Plan withSidecar(boolean s) {
      return new Plan(
          build, imageRel, checksumRel, format, algorithm, s, clearSigned, entryName, aliases,
          decoyFiles);
    }
  }

  private Plan plan(String distro, DistroRelease release, Arch arch, ImageLocation table, String build) {
    String v = release.version();
    String tableImage = rel(table.diskUri());
    String tableSums = rel(table.checksumUri());
    String dir = tableImage.substring(0, tableImage.lastIndexOf('/') + 1);
    String u = arch.unameName();
    String o = arch.ociName();
    switch (distro) {
      case "ubuntu":
        {
          String b = build == null ? "20250101" : build;
          String codenameDir = "releases/" + release.aliases().get(0) + "/";
          String file = "ubuntu-" + v + "-server-cloudimg-" + o + ".img";
          String d = codenameDir + "release-" + b + "/";
          return new Plan(b, d + file, d + "SHA256SUMS", ChecksumFormat.GNU_BINARY,
              DigestAlgorithm.SHA256, false, false, file,
              List.of(new Alias(codenameDir + "release/" + file, codenameDir + "release/SHA256SUMS", false, file)),
              List.of());
        }
      case "debian":
        {
          String b = build == null ? "20250101-2000" : build;
          String cn = "images/cloud/" + release.aliases().get(0) + "/";
          String file = "debian-" + v + "-genericcloud-" + o + "-" + b + ".qcow2";
          String latest = "debian-" + v + "-genericcloud-" + o + ".qcow2";
          return new Plan(b, cn + b + "/" + file, cn + b + "/SHA512SUMS", ChecksumFormat.GNU,
              DigestAlgorithm.SHA512, false, false, file,
              List.of(new Alias(cn + "latest/" + latest, cn + "latest/SHA512SUMS", false, latest)),
              List.of(cn + "daily/README"));
        }
      case "fedora":
        {
          Matcher t = Pattern.compile("Fedora-Cloud-Base-Generic-\\d+-([0-9.]+)\\.[a-z0-9_]+\\.qcow2")
              .matcher(table.fileName());
          String b = build == null ? (t.matches() ? t.group(1) : "1.1") : build;
          if (b.startsWith(v + "-")) {
            b = b.substring(v.length() + 1);
          }
          boolean archived = tableImage.contains("pub/archive/");
          String d = (archived ? "pub/archive/fedora/linux/releases/" : "pub/fedora/linux/releases/")
              + v + "/Cloud/" + u + "/images/";
          String file = "Fedora-Cloud-Base-Generic-" + v + "-" + b + "." + u + ".qcow2";
          return new Plan(v + "-" + b, d + file, d + "Fedora-Cloud-" + v + "-" + b + "-" + u + "-CHECKSUM",
              ChecksumFormat.BSD, DigestAlgorithm.SHA256, false, true, file, List.of(), List.of());
        }
      case "opensuse":
        {
          String stem = table.fileName().replaceFirst("-Cloud\\.qcow2$", "");
          boolean tw = v.equals("tumbleweed");
          String b = build == null ? (tw ? "1.0.0-Snapshot20250101" : v + ".0-Build1.1") : build;
          Matcher m = Pattern.compile("([0-9.]+)-((?:Snapshot|Build)[0-9.]+)").matcher(b);
          if (!m.matches()) {
            throw new IllegalArgumentException("openSUSE build must look like 1.0.0-Snapshot20250101: " + b);
          }
          String file = stem + "-" + m.group(1) + "-Cloud-" + m.group(2) + ".qcow2";
          return new Plan(b, dir + file, dir + file + ".sha256", ChecksumFormat.GNU,
              DigestAlgorithm.SHA256, true, false, file,
              List.of(new Alias(tableImage, tableSums, true, file)), List.of());
        }
      case "rocky":
        {
          String b = build == null ? v + ".1-20250101.0" : build;
          String file = "Rocky-" + v + "-GenericCloud-Base-" + b + "." + u + ".qcow2";
          return new Plan(b, dir + file, dir + file + ".CHECKSUM", ChecksumFormat.BSD,
              DigestAlgorithm.SHA256, true, false, file,
              List.of(new Alias(tableImage, tableSums, true, table.fileName())),
              List.of(dir + "Rocky-" + v + "-GenericCloud-LVM.latest." + u + ".qcow2.CHECKSUM"));
        }
      case "almalinux":
        {
          String b = build == null ? v + ".1-20250101" : build;
          Matcher t = Pattern.compile(".*\\.([a-z0-9_]+)\\.qcow2").matcher(table.fileName());
          String a = t.matches() ? t.group(1) : u;
          String file = "AlmaLinux-" + v + "-GenericCloud-" + b + "." + a + ".qcow2";
          return new Plan(b, dir + file, dir + "CHECKSUM", ChecksumFormat.GNU,
              DigestAlgorithm.SHA256, false, false, file,
              List.of(new Alias(tableImage, tableSums, false, table.fileName())), List.of());
        }
      case "centos":
        {
          String b = build == null ? "20250101.0" : build;
          String file = "CentOS-Stream-GenericCloud-" + v + "-" + b + "." + u + ".qcow2";
          return new Plan(b, dir + file, dir + file + ".SHA256SUM", ChecksumFormat.BSD,
              DigestAlgorithm.SHA256, true, false, file,
              List.of(new Alias(tableImage, tableSums, true, table.fileName())), List.of());
        }
      case "alpine":
        {
          Matcher t = Pattern.compile("nocloud_alpine-(\\d+\\.\\d+\\.\\d+)-.*").matcher(table.fileName());
          String b = build == null ? (t.matches() ? t.group(1) : v + ".0") : build;
          Matcher m = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:-r(\\d+))?").matcher(b);
          if (!m.matches()) {
            throw new IllegalArgumentException("Alpine build must look like 3.22.4 or 3.22.4-r1: " + b);
          }
          String fw = arch == Arch.AMD64 ? "bios" : "uefi";
          String rev = m.group(2) == null ? "0" : m.group(2);
          String d = "alpine/v" + v + "/releases/cloud/";
          String file = "nocloud_alpine-" + m.group(1) + "-" + u + "-" + fw + "-cloudinit-r" + rev + ".qcow2";
          String tiny = "nocloud_alpine-" + m.group(1) + "-" + u + "-" + fw + "-tiny-r" + rev + ".qcow2.sha512";
          return new Plan(rev.equals("0") ? m.group(1) : m.group(1) + "-r" + rev, d + file,
              d + file + ".sha512", ChecksumFormat.BARE_HEX, DigestAlgorithm.SHA512, true, false,
              file, List.of(), List.of(d + tiny));
        }
      case "arch":
        {
          String b = build == null ? "20250101.300000" : build;
          String file = "Arch-Linux-" + u + "-cloudimg-" + b + ".qcow2";
          String d = "images/v" + b + "/";
          return new Plan(b, d + file, d + file + ".SHA256", ChecksumFormat.GNU,
              DigestAlgorithm.SHA256, true, false, file,
              List.of(new Alias(tableImage, tableSums, true, file)), List.of());
        }
      default:
        {
          boolean sidecar = tableSums.endsWith("/" + table.fileName() + ".")
              || rel(table.checksumUri()).contains(table.fileName() + ".");
          DigestAlgorithm alg = tableSums.toLowerCase(Locale.ROOT).contains("512")
              ? DigestAlgorithm.SHA512 : DigestAlgorithm.SHA256;
          return new Plan(build == null ? "table" : build, tableImage, tableSums,
              table.checksumFormat(), alg, sidecar, false, table.fileName(), List.of(), List.of());
        }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checksum files

  private static final class ChecksumFileModel {
    final Map<String, String> lines = new LinkedHashMap<>();
  }

  private void addEntry(Path file, Plan plan, String name, Digest digest, long size)
      throws IOException {
    ChecksumFileModel model = checksumFiles.get(file);
    if (model == null) {
      model = new ChecksumFileModel();
      checksumFiles.put(file, model);
      if (!plan.sidecar() && plan.format() != ChecksumFormat.BARE_HEX) {
        for (String decoy : List.of(name + ".zsync", decoyName(name))) {
          model.lines.put(decoy, line(plan, decoy, fakeDigest(decoy, plan.algorithm()), 4096));
        }
      }
    }
    model.lines.put(name, line(plan, name, digest, size));
    StringBuilder body = new StringBuilder();
    if (plan.format() == ChecksumFormat.BARE_HEX) {
      body.append(digest.hex()).append('\n');
    } else {
      model.lines.values().forEach(body::append);
    }
    String text = body.toString();
    if (plan.clearSigned()) {
      text =
          "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
              + text
              + "-----BEGIN PGP SIGNATURE-----\n\n"
              + "iQIzBAEBCAAdFiEEdGVzdGtpdCBmYWtlIHNpZ25hdHVyZQAAAAAAAAAAAAAA\n=AAAA\n"
              + "-----END PGP SIGNATURE-----\n";
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String line(Plan plan, String name, Digest d, long size) {
    switch (plan.format()) {
      case GNU:
        return d.hex() + "  " + name + "\n";
      case GNU_BINARY:
        return d.hex() + " *" + name + "\n";
      case BSD:
        return "# " + name + ": " + size + " bytes\n"
            + d.algorithm().prefix().toUpperCase(Locale.ROOT) + " (" + name + ") = " + d.hex() + "\n";
      default:
        return d.hex() + "\n";
    }
  }

  private static String decoyName(String name) {
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + "-root.tar.xz";
  }

  private static Digest fakeDigest(String name, DigestAlgorithm alg) {
    try {
      MessageDigest md = MessageDigest.getInstance(alg.jdkName());
      return new Digest(alg, HexFormat.of().formatHex(md.digest(name.getBytes(StandardCharsets.UTF_8))));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Digest digest(Path file, DigestAlgorithm alg) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance(alg.jdkName());
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return new Digest(alg, HexFormat.of().formatHex(md.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Listings

  private void writeListings(List<Path> written) throws IOException {
    TreeSet<Path> dirs = new TreeSet<>();
    for (Path p : written) {
      for (Path d = p.getParent(); d != null && d.startsWith(root); d = d.getParent()) {
        dirs.add(d);
      }
    }
    listedDirs.addAll(dirs);
    for (Path d : listedDirs) {
      writeListing(d);
    }
  }

  private void writeListing(Path dir) throws IOException {
    String urlPath = baseUri.getPath() + (dir.equals(root) ? "" : root.relativize(dir).toString().replace('\\', '/') + "/");
    StringBuilder html = new StringBuilder();
    html.append("<html>\n<head><title>Index of ").append(urlPath).append("</title></head>\n<body>\n");
    html.append("<h1>Index of ").append(urlPath).append("</h1><hr><pre><a href=\"../\">../</a>\n");
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.filter(p -> !p.getFileName().toString().equals(INDEX)).sorted().toList();
    }
    for (Path c : children) {
      String name = c.getFileName().toString();
      boolean isDir = Files.isDirectory(c);
      String shown = isDir ? name + "/" : name;
      html.append("<a href=\"").append(shown).append("\">").append(shown).append("</a>");
      html.append(" ".repeat(Math.max(1, 51 - shown.length()))).append(MTIME);
      html.append(isDir ? "                   -" : String.format(Locale.ROOT, "%20d", Files.size(c)));
      html.append('\n');
    }
    html.append("</pre><hr></body>\n</html>\n");
    Files.writeString(dir.resolve(INDEX), html.toString(), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------------------------------------

  private String rel(URI uri) {
    String u = uri.toString();
    String b = baseUri.toString();
    if (!u.startsWith(b)) {
      throw new IllegalArgumentException(
          "catalog URL " + u + " is not below the mirror override " + b);
    }
    return u.substring(b.length());
  }

  private Path file(String rel) {
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) {
      throw new IllegalArgumentException("path escapes the mirror root: " + rel);
    }
    return p;
  }

  private URI uri(String rel) {
    return URI.create(baseUri + rel);
  }

  /** Orders build strings: digit runs as numbers, the rest as text. */
  static final class BuildNumbers {
    private static final Pattern TOKEN = Pattern.compile("\\d+|\\D+");

    private BuildNumbers() {}

    static int compare(String a, String b) {
      Matcher ma = TOKEN.matcher(a);
      Matcher mb = TOKEN.matcher(b);
      while (true) {
        boolean fa = ma.find();
        boolean fb = mb.find();
        if (!fa || !fb) {
          return Boolean.compare(fa, fb);
        }
        String x = ma.group();
        String y = mb.group();
        int c =
            Character.isDigit(x.charAt(0)) && Character.isDigit(y.charAt(0))
                ? new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y))
                : x.compareTo(y);
        if (c != 0) {
          return c;
        }
      }
    }
  }
}
