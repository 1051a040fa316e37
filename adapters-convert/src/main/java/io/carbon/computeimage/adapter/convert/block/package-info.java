/**
 * Random-access views of disk images: raw files and QCOW2 images read through our own reader.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.block;
