package io.carbon.computeimage.ports.image;

import java.util.Objects;

/**
 * A fully qualified image in a registry, as the domain's reference parser produced it.
 *
 * @param registry the registry as named in references and storage paths, for example {@code
 *     docker.io} or {@code 127.0.0.1:5000}
 * @param apiHost the {@code host[:port]} that serves the registry API, for example {@code
 *     registry-1.docker.io} for {@code docker.io}
 * @param repository the repository path, for example {@code library/ubuntu}
 * @param reference a tag ({@code 24.04}) or a digest ({@code sha256:...}) to resolve
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/main/spec.md">OCI
 *     distribution specification</a>
 * @since 0.1
 */
public record RegistryImage(String registry, String apiHost, String repository, String reference) {
  /** Validates the components. */
  public RegistryImage {
    Objects.requireNonNull(registry, "registry is null");
    Objects.requireNonNull(apiHost, "apiHost is null");
    Objects.requireNonNull(repository, "repository is null");
    Objects.requireNonNull(reference, "reference is null");
    if (registry.isEmpty() || apiHost.isEmpty() || repository.isEmpty() || reference.isEmpty()) {
      throw new IllegalArgumentException("empty component in " + registry + "/" + repository);
    }
  }

  /** @return true when {@link #reference()} is a digest rather than a tag */
  public boolean isDigestReference() {
    return reference.contains(":");
  }

  /** @return {@code registry/repository:tag} or {@code registry/repository@digest} */
  @Override
  public String toString() {
    return registry + "/" + repository + (isDigestReference() ? "@" : ":") + reference;
  }
}
