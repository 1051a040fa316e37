/**
 * Disk ports: format conversion ({@link io.carbon.computeimage.ports.disk.DiskConverter}) and
 * kernel extraction ({@link io.carbon.computeimage.ports.disk.KernelExtractor}).
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.disk;
