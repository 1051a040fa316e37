/**
 * Our own qcow2 reader (versions 2 and 3, zlib and zstd clusters, extended L2), hardened against
 * malformed images.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.qcow2;
