package io.carbon.computeimage.domain.vm;

import io.carbon.computeimage.ports.error.InvalidReferenceException;
import io.carbon.computeimage.ports.model.Arch;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What to pull: a distro cloud image {@code name:version} for one architecture, optionally from a
 * mirror and into a given root directory.
 *
 * <p>Immutable; build with {@link #builder()} or {@link #of(String, String)}.
 *
 * <pre>{@code
 * VmRef ref = VmRef.builder().image("ubuntu:24.04").arch("amd64").extractKernel(true).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class VmRef {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))(:[0-9]{1,5})?");

  private final String name;
  private final String version;
  private final Arch arch;
  private final String registry;
  private final URI mirror;
  private final Path dir;
  private final boolean extractKernel;

  private VmRef(Builder b, String name, String version, Arch arch, URI mirror) {
    this.name = name;
    this.version = version;
    this.arch = arch;
    this.registry = b.registry;
    this.mirror = mirror;
    this.dir = b.dir;
    this.extractKernel = b.extractKernel;
  }

  /** @return a new builder */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A reference with the defaults (distro mirror, default root, no kernel extraction).
   *
   * @param image {@code name:version}, for example {@code ubuntu:24.04}
   * @param arch {@code amd64} or {@code arm64}
   * @return the reference
   * @throws InvalidReferenceException when the image or arch is malformed
   */
  public static VmRef of(String image, String arch) throws InvalidReferenceException {
    return builder().image(image).arch(arch).build();
  }

  /** @return the distro name as typed, lower case, for example {@code ubuntu} */
  public String name() {
    return name;
  }

  /** @return the version as typed, for example {@code noble} or {@code 24.04} */
  public String version() {
    return version;
  }

  /** @return {@code name:version} as typed */
  public String image() {
    return name + ":" + version;
  }

  /** @return the architecture */
  public Arch arch() {
    return arch;
  }

  /** @return the registry override as given (a host or a base URL), or empty for the default */
  public Optional<String> registry() {
    return Optional.ofNullable(registry);
  }

  /**
   * Returns the mirror base URL the override stands for: the URL itself when it has a scheme,
   * {@code https://<host>} for a bare host.
   *
   * @return the mirror base, or empty when no override was given
   */
  public Optional<URI> mirror() {
    return Optional.ofNullable(mirror);
  }

  /** @return the root directory, or empty for the platform default */
  public Optional<Path> dir() {
    return Optional.ofNullable(dir);
  }

  /** @return whether to extract the kernel, initrd and command line beside the disk */
  public boolean extractKernel() {
    return extractKernel;
  }

  /**
   * Returns a copy with another root directory.
   *
   * @param newDir the root directory
   * @return the copy
   */
  public VmRef withDir(Path newDir) {
    Builder b = toBuilder();
    b.dir(newDir);
    return new VmRef(b, name, version, arch, mirror);
  }

  /** @return a builder holding this reference's values */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.image = image();
    b.arch = arch.ociName();
    b.registry = registry;
    b.dir = dir;
    b.extractKernel = extractKernel;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmRef
        && ((VmRef) o).name.equals(name)
        && ((VmRef) o).version.equals(version)
        && ((VmRef) o).arch == arch
        && Objects.equals(((VmRef) o).registry, registry)
        && Objects.equals(((VmRef) o).dir, dir)
        && ((VmRef) o).extractKernel == extractKernel;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, version, arch, registry, dir, extractKernel);
  }

  @Override
  public String toString() {
    return image() + " (" + arch + (registry == null ? "" : ", registry " + registry) + ")";
  }

  /** Builds a {@link VmRef}; {@code image} and {@code arch} are required. */
  public static final class Builder {
    private String image;
    private String arch;
    private String registry;
    private Path dir;
    private boolean extractKernel;

    private Builder() {}

    /**
     * @param image {@code name:version} or {@code name:codename}
     * @return this builder
     */
    public Builder image(String image) {
      this.image = image;
      return this;
    }

    /**
     * @param arch {@code amd64} or {@code arm64} ({@code x86_64}, {@code aarch64} accepted)
     * @return this builder
     */
    public Builder arch(String arch) {
      this.arch = arch;
      return this;
    }

    /**
     * @param arch the architecture
     * @return this builder
     */
    public Builder arch(Arch arch) {
      this.arch = arch == null ? null : arch.ociName();
      return this;
    }

    /**
     * @param registry a mirror host ({@code mirror.example.org}, with optional port) or a base URL
     *     with scheme ({@code http://127.0.0.1:8080/mirror}); empty or {@code null} for the
     *     distro's default
     * @return this builder
     */
    public Builder registry(String registry) {
      this.registry = registry == null || registry.isBlank() ? null : registry.trim();
      return this;
    }

    /**
     * @param dir the root directory, or {@code null} for the platform default
     * @return this builder
     */
    public Builder dir(Path dir) {
      this.dir = dir;
      return this;
    }

    /**
     * @param extractKernel extract vmlinuz, initrd and cmdline beside the disk
     * @return this builder
     */
    public Builder extractKernel(boolean extractKernel) {
      this.extractKernel = extractKernel;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the reference
     * @throws InvalidReferenceException when the image, arch or registry is missing or malformed;
     *     the message names the input
     */
    public VmRef build() throws InvalidReferenceException {
      if (image == null || image.isBlank()) {
        throw new InvalidReferenceException("missing VM image: expected name:version, e.g. ubuntu:24.04");
      }
      String img = image.trim();
      int colon = img.indexOf(':');
      if (colon < 0 || colon != img.lastIndexOf(':')) {
        throw new InvalidReferenceException(
            "invalid VM image '" + image + "': expected name:version, e.g. ubuntu:24.04");
      }
      String n = img.substring(0, colon).toLowerCase(Locale.ROOT);
      String v = img.substring(colon + 1);
      if (!NAME.matcher(n).matches()) {
        throw new InvalidReferenceException(
            "invalid VM image '"
                + image
                + "': bad distro name '"
                + img.substring(0, colon)
                + "' (expected name:version, e.g. ubuntu:24.04)");
      }
      if (!VERSION.matcher(v).matches()) {
        throw new InvalidReferenceException(
            "invalid VM image '"
                + image
                + "': bad version '"
                + v
                + "' (expected name:version, e.g. ubuntu:24.04)");
      }
      if (arch == null || arch.isBlank()) {
        throw new InvalidReferenceException(
            "missing architecture for '" + image + "': expected one of amd64, arm64");
      }
      Arch a = Arch.parse(arch);
      return new VmRef(this, n, v, a, registry == null ? null : parseRegistry(registry));
    }

    private static URI parseRegistry(String registry) throws InvalidReferenceException {
      if (registry.contains("://")) {
        URI u;
        try {
          u = new URI(registry);
        } catch (URISyntaxException e) {
          throw new InvalidReferenceException(
              "invalid registry '" + registry + "': " + e.getMessage(), e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          throw new InvalidReferenceException(
              "invalid registry '" + registry + "': only http:// and https:// are supported");
        }
        if (u.getHost() == null || u.getRawQuery() != null || u.getRawFragment() != null) {
          throw new InvalidReferenceException(
              "invalid registry '" + registry + "': expected scheme://host[:port][/path]");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        while (path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + u.getRawAuthority() + path);
      }
      if (!HOST_PORT.matcher(registry).matches()) {
        throw new InvalidReferenceException(
            "invalid registry '" + registry + "': expected a host[:port] or a base URL such as"
                + " http://127.0.0.1:8080");
      }
      return URI.create("https://" + registry);
    }
  }
}
