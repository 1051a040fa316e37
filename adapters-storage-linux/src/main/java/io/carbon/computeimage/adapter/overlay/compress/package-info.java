/** gzip and zstd (with skippable frames) decompression of layer blobs. */
package io.carbon.computeimage.adapter.overlay.compress;
