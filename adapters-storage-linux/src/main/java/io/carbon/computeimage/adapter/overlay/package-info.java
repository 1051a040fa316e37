/**
 * The Linux layer store: container layers unpacked as overlayfs lower directories with native
 * whiteouts.
 */
package io.carbon.computeimage.adapter.overlay;
