/** A streaming tar reader that keeps PAX xattr values byte for byte. */
package io.carbon.computeimage.adapter.overlay.tar;
