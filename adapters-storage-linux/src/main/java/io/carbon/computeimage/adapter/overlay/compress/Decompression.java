package io.carbon.computeimage.adapter.overlay.compress;

import io.airlift.compress.zstd.ZstdInputStream;
import io.carbon.computeimage.ports.store.LayerCompression;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Opens the uncompressed tar stream of a layer blob. */
public final class Decompression {
  private static final int BUFFER = 1 << 18; // large inflater input reads: fewer JNI calls

  private Decompression() {}

  /**
   * Wraps a compressed stream.
   *
   * @param raw the blob's bytes (buffered by the caller)
   * @param compression the blob's compression
   * @param source the blob name for messages
   * @return the uncompressed stream: gzip members are concatenated, zstd skippable frames dropped
   * @throws IOException when the stream header is unreadable
   */
  public static InputStream open(InputStream raw, LayerCompression compression, String source)
      throws IOException {
    return switch (compression) {
      case NONE -> raw;
      case GZIP -> new GZIPInputStream(raw, BUFFER);
      case ZSTD -> new ZstdInputStream(new ZstdFrameFilter(raw, source));
    };
  }
}
