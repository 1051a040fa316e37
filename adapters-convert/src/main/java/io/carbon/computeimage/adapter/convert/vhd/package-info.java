/**
 * The fixed VHD format: a raw disk followed by a 512-byte footer.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.vhd;
