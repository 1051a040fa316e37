package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.adapter.overlay.compress.Decompression;
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
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** One layer unpack: blob → decompression → diffID hashing → tar → {@link LayerUnpacker}. */
public final class LayerUnpack {
  private static final long PROGRESS_STEP = 1 << 20;

  private LayerUnpack() {}

  /**
   * Unpacks a blob into {@code layerDir} over the given lower layers.
   *
   * @param blob the compressed blob
   * @param compression its compression
   * @param layerDir the empty target directory
   * @param lowersBottomFirst the already unpacked layers below, {@code layers/00} first
   * @param listener progress receiver (task id: the layer directory's name)
   * @param cancellation checked between entries
   * @return the diffID, the uncompressed size and the entry count
   * @throws ComputeImageException on refusal, malformed input or I/O failure
   */
  public static LayerUnpackResult run(
      Path blob,
      LayerCompression compression,
      Path layerDir,
      List<Path> lowersBottomFirst,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    String layer = "layer " + blob.getFileName() + " (unpacking into " + layerDir + ")";
    String task = "unpack " + layerDir.getFileName();
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long total;
    try {
      total = Files.size(blob);
    } catch (IOException e) {
      throw new LocalStorageException("cannot read layer blob " + blob + ": " + e, e);
    }
    listener.started(task, "unpack " + blob.getFileName(), total);
    long entries = 0;
    try (InputStream raw = Files.newInputStream(blob)) {
      InputStream counted = new Progress(new BufferedInputStream(raw, 1 << 16), listener, task);
      InputStream plain;
      try {
        plain = total == 0 ? InputStream.nullInputStream()
            : Decompression.open(counted, compression, blob.toString());
      } catch (IOException e) {
        throw new MalformedImageException("layer blob " + blob + " is not valid "
            + compression.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage(), e);
      }
      DigestingStream digesting = new DigestingStream(plain, sha);
      TarReader reader = new TarReader(digesting, layer);
      LayerUnpacker unpacker = new LayerUnpacker(layerDir, lowersBottomFirst, layer);
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
              + ex.getMessage(), ex);
        }
        entries++;
      }
      try {
        unpacker.finish();
      } catch (IOException ex) {
        throw new LocalStorageException("cannot set directory times in " + layerDir + ": " + ex, ex);
      }
      digesting.drain();
      listener.finished(task);
      Digest diffId = new Digest(DigestAlgorithm.SHA256, HexFormat.of().formatHex(digesting.digest()));
      return new LayerUnpackResult(diffId, digesting.count(), entries);
    } catch (BlobReadException e) {
      throw new MalformedImageException("layer blob " + blob + " is corrupt or truncated ("
          + compression.name().toLowerCase(java.util.Locale.ROOT) + "): " + e.getCause().getMessage(), e.getCause());
    } catch (java.io.EOFException e) {
      throw new MalformedImageException(layer + " is truncated: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new LocalStorageException("cannot unpack layer blob " + blob + " into " + layerDir + ": " + e, e);
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
