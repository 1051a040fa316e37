package io.carbon.computeimage.ports.image;

import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What an {@link ImageSource} gets from the application: a transport and the host facts it may
 * read.
 *
 * @param http the transport for manifests, configs and tokens
 * @param host the host description
 * @param environment the process environment the source may consult, for example {@code
 *     DOCKER_CONFIG}, {@code HOME}, {@code REGISTRY_AUTH_FILE}, {@code XDG_RUNTIME_DIR}, {@code
 *     PATH} (to find {@code docker-credential-*} helpers)
 * @param insecureRegistries registries ({@code host[:port]}) always spoken to over plain HTTP
 * @since 0.1
 */
public record ImageSourceContext(
    HttpTransport http,
    HostInfo host,
    Map<String, String> environment,
    Set<String> insecureRegistries) {
  /** Validates and copies the components. */
  public ImageSourceContext {
    Objects.requireNonNull(http, "http is null");
    Objects.requireNonNull(host, "host is null");
    environment = Map.copyOf(environment);
    insecureRegistries = Set.copyOf(insecureRegistries);
  }

  /**
   * A context with no environment (anonymous access only) on a Linux amd64 host.
   *
   * @param http the transport
   * @return the context
   */
  public static ImageSourceContext of(HttpTransport http) {
    return new ImageSourceContext(
        http, new HostInfo(OsFamily.LINUX, Arch.AMD64, false), Map.of(), Set.of());
  }
}
