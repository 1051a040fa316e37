/**
 * Test fixtures for kernel extraction: running host tools, building distro-like disk images with
 * real mkfs tools and loop mounts, a real Debian kernel, marker initrds, and QEMU boots.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.boot;
