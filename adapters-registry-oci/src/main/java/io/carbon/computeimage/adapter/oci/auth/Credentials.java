package io.carbon.computeimage.adapter.oci.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for one registry: a user name and password, or an identity (refresh) token.
 *
 * @param username the user name; {@code <token>} when {@code secret} is an identity token
 * @param secret the password or identity token
 * @param identityToken true when {@code secret} is an OAuth2 refresh token
 * @param source where the credentials came from, for messages (never the secret)
 */
public record Credentials(String username, String secret, boolean identityToken, String source) {
  /** Validates the components. */
  public Credentials {
    Objects.requireNonNull(username, "username is null");
    Objects.requireNonNull(secret, "secret is null");
    Objects.requireNonNull(source, "source is null");
  }

  /** @return the {@code Authorization: Basic ...} header value */
  public String basicHeader() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[" + username + " from " + source + "]";
  }
}
