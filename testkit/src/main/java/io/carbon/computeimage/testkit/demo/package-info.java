/**
 * The offline demo mirror behind {@code scripts/demo-mirror.sh}: distro-like cloud images built
 * with the boot fixtures and published in a local mirror tree laid out like the real mirrors.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.demo;
