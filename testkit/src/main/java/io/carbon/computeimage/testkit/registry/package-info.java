/**
 * A real-registry test fixture: the Debian {@code docker-registry} (CNCF distribution) server on
 * loopback in anonymous, htpasswd and token-auth variants, a token server, OCI layout builders and
 * {@code skopeo}/{@code umoci} helpers.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.registry;
