package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.adapter.overlay.tar.TarEntry;
import io.carbon.computeimage.adapter.overlay.tar.TarReader;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.store.LayerCompression;
import io.carbon.computeimage.ports.store.LayerUnpackResult;
import io.carbon.computeimage.ports.store.LowerLayers;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * One layer unpack: blob → decompression and diffID hashing (own thread) → tar → {@link
 * LayerUnpacker}.
 */
public final class LayerUnpack {
  private static final long PROGRESS_STEP = 1 << 20;

  private LayerUnpack() {}

  /**
   * Unpacks a blob file into {@code layerDir} over the given lower layers.
   *
   * @param blob the compressed blob
   * @param compression its compression
   * @param layerDir the empty target directory
   * @param lowers the layers below, {@code layers/00} first
   * @param listener progress receiver (task id: the layer directory's name)
   * @param cancellation checked between entries
   * @return the diffID, the uncompressed size and the entry count
   * @throws ComputeImageException on refusal, malformed input or I/O failure
   */
  public static LayerUnpackResult run(
      Path blob,
      LayerCompression compression,
      Path layerDir,
      LowerLayers lowers,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    long total;
    try {
      total = Files.size(blob);
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot read layer blob " + blob + ": " + LocalStorageException.describe(e, blob), e);
    }
    try (InputStream raw = Files.newInputStream(blob)) {
      return run(raw, total, blob.toString(), compression, layerDir, lowers, listener, cancellation);
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot read layer blob " + blob + ": " + LocalStorageException.describe(e, blob), e);
    }
  }

  /**
   * Unpacks a blob stream into {@code layerDir} over lower layers that are awaited only when an
   * entry needs them. The blob is decompressed and hashed on a separate thread.
   *
   * @param raw the compressed blob, read in order (not closed)
   * @param total its size for progress, or -1 when unknown
   * @param blobName the blob's name for messages
   * @param compression its compression
   * @param layerDir the empty target directory
   * @param lowers the layers below
   * @param listener progress receiver (task id: the layer directory's name)
   * @param cancellation checked between entries
   * @return the diffID, the uncompressed size and the entry count
   * @throws ComputeImageException on refusal, malformed input or I/O failure
   */
  public static LayerUnpackResult run(
      InputStream raw,
      long total,
      String blobName,
      LayerCompression compression,
      Path layerDir,
      LowerLayers lowers,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    String shortName = Path.of(blobName).getFileName().toString();
    String layer = "layer " + shortName + " (unpacking into " + layerDir + ")";
    String task = "unpack " + layerDir.getFileName();
    listener.started(task, "unpack " + shortName, total);
    long entries = 0;
    InputStream counted = new Progress(new BufferedInputStream(raw, 1 << 16), listener, task);
    InflatingPipe plain = InflatingPipe.start(counted, compression, blobName,
        "inflate " + layerDir.getFileName());
    try (LayerUnpacker unpacker = new LayerUnpacker(layerDir, lowers, layer)) {
      TarReader reader = new TarReader(plain, layer);
      InputStream data = reader.data();
      TarEntry e;
      while ((e = reader.next()) != null) {
        cancellation.check();
        try {
          unpacker.apply(e, data);
        } catch (BlobReadException ex) {
          throw ex;
        } catch (java.io.EOFException ex) {
          throw new MalformedImageException(layer + " is truncated: " + ex.getMessage(), ex);
        } catch (IOException ex) {
          throw new LocalStorageException("cannot unpack '" + e.name() + "' of " + layer + ": "
              + LocalStorageException.describe(ex), ex);
        }
        entries++;
      }
      try {
        unpacker.finish();
      } catch (IOException ex) {
        throw new LocalStorageException(
            "cannot unpack " + layer + ": " + LocalStorageException.describe(ex), ex);
      }
      byte[] digest = plain.finish();
      listener.finished(task);
      Digest diffId = new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(digest));
      return new LayerUnpackResult(diffId, plain.count(), entries);
    } catch (BlobReadException e) {
      String kind = compression.name().toLowerCase(java.util.Locale.ROOT);
      if (plain.headerFailure()) {
        throw new MalformedImageException("layer blob " + blobName + " is not valid " + kind + ": "
            + e.getCause().getMessage(), e.getCause());
      }
      throw new MalformedImageException("layer blob " + blobName + " is corrupt or truncated ("
          + kind + "): " + e.getCause().getMessage(), e.getCause());
    } catch (java.io.EOFException e) {
      throw new MalformedImageException(layer + " is truncated: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new LocalStorageException("cannot unpack layer blob " + blobName + " into " + layerDir + ": "
          + LocalStorageException.describe(e), e);
    } finally {
      plain.close();
    }
  }

  /** Counts compressed bytes for progress. */
  private static final class Progress extends FilterInputStream {
    private final ProgressListener listener;
    private final String task;
    private long count;
    private long reported;

    Progress(InputStream in, ProgressListener listener, String task) {
      super(in);
      this.listener = listener;
      this.task = task;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        advance(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        advance(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      advance(s);
      return s;
    }

    private void advance(long n) {
      count += n;
      if (count - reported >= PROGRESS_STEP) {
        reported = count;
        listener.progressed(task, count);
      }
    }
  }
}
