package io.carbon.computeimage.adapter.overlay.unpack;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Marks a failure while reading or decompressing the blob (as opposed to writing the tree). */
final class BlobReadException extends UncheckedIOException {
  private static final long serialVersionUID = 1L;

  BlobReadException(IOException cause) {
    super(cause.getMessage(), cause);
  }
}
