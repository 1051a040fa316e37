/**
 * Test fixtures for disk images: {@link io.carbon.computeimage.testkit.disk.DiskImageBuilder}
 * (raw disks with real partition tables and filesystems), {@link
 * io.carbon.computeimage.testkit.disk.QemuImg} (qemu-img/qemu-io, the reference implementation)
 * and helpers. Needs qemu-utils, fdisk, e2fsprogs, xfsprogs, btrfs-progs, dosfstools and root for
 * loop mounts.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.disk;
