/**
 * Registry authentication: {@code WWW-Authenticate} challenges, credentials from Docker's {@code
 * config.json} and containers' {@code auth.json}, and {@code docker-credential-*} helpers.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.oci.auth;
