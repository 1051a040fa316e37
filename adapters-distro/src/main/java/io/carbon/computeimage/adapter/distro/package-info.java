/**
 * The built-in distro plugin: {@link io.carbon.computeimage.adapter.distro.BuiltinDistrosPlugin}
 * registers one catalog per supported distro through {@code META-INF/services}.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.distro;
