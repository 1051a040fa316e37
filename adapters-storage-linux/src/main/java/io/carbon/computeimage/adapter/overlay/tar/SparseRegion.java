package io.carbon.computeimage.adapter.overlay.tar;

/**
 * One data region of a sparse file: {@code length} bytes stored in the archive belong at {@code
 * offset} of the file; everything between regions is a hole.
 *
 * @param offset the offset in the file
 * @param length the number of stored bytes
 */
public record SparseRegion(long offset, long length) {}
