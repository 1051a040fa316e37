/**
 * Kernel extraction: finding /boot on a disk, choosing the kernel, initrd and command line the
 * distro would boot (BLS, grub.cfg, extlinux, symlinks, version order), writing them beside the
 * disk, and unpacking the uncompressed kernel for micro-VM monitors.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.kernel;
