/**
 * Disk conversion (QCOW2 to sparse raw and fixed VHD) and kernel extraction, in pure Java.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert;
