/**
 * Code shared by the built-in distro catalogs: mirror URL joining, checksum-file and
 * directory-listing parsing, build ordering and the release table.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.distro.support;
