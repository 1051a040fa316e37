/**
 * The contract every {@link io.carbon.computeimage.ports.distro.DistroCatalog} passes.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.distro;
