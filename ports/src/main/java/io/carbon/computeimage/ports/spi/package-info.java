/**
 * The plugin entry point. A jar registers {@link io.carbon.computeimage.ports.spi.ComputeImagePlugin}
 * implementations in {@code META-INF/services/io.carbon.computeimage.ports.spi.ComputeImagePlugin}.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.spi;
