/**
 * Local copies of distro mirror trees for tests: {@link
 * io.carbon.computeimage.testkit.mirror.MirrorTreeWriter} lays out an image, its checksum file and
 * the directory listings exactly as the distro's real mirror does.
 *
 * @since 0.1
 */
package io.carbon.computeimage.testkit.mirror;
