/** Applies layer tar entries to an overlayfs lower directory, safely. */
package io.carbon.computeimage.adapter.overlay.unpack;
