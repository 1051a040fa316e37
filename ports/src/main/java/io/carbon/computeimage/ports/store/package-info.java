/**
 * Container layer stores: unpack a layer blob into a directory in the platform's native layer
 * format (overlayfs lower directories on Linux, HCS layers on Windows).
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.store;
