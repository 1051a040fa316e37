package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.SizeMismatchException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.error.UnauthorizedException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.DownloadTap;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@link Downloader} on {@code java.net.http} that verifies while streaming, resumes, retries
 * and locks per destination.
 *
 * <p>Files beside the destination {@code D}:
 *
 * <ul>
 *   <li>{@code D.part}: the stable partial file; bytes are appended as they arrive.
 *   <li>{@code D.part.meta}: URL, expected digest, ETag and Last-Modified of the partial file; a
 *       resume ({@code Range: bytes=N-} with {@code If-Range}) is tried only when they match the
 *       request. A 200 answer to a resume restarts from 0; a 416 finishes when the partial file is
 *       complete and restarts otherwise.
 *   <li>{@code D.verified}: {@code algorithm:hex size}, written after the atomic rename of {@code
 *       D.part} to {@code D}; a later call with the same expected digest reuses {@code D}.
 *   <li>{@code D.lock}: the cross-process lock file (never deleted).
 * </ul>
 *
 * <p>The digest is computed while streaming (the existing prefix of a partial file is re-hashed
 * first); on mismatch the partial file is deleted and {@link DigestMismatchException} names the
 * URL and both digests (after a resumed attempt, one more attempt from the start comes first). Connection failures, resets, truncated and stalled bodies, 408, 429 and
 * 5xx are retried after a backoff, resuming from the partial file; an attempt that got further
 * into the file than any before it does not count against {@link TransferSettings#maxAttempts()}
 * (one that only got as far again does, and so do restarts from the start). Thread-safe.
 *
 * @since 0.1
 */
public final class FileDownloader implements Downloader {
  private static final int BUFFER_BYTES = 1 << 20;

  private final TransferSettings settings;
  private final HttpExchanger exchanger;
  private final RetryPolicy retry;
  private final Sleeper sleeper;

  /**
   * Creates a downloader.
   *
   * @param settings timeouts, retries and user agent, must not be {@code null}
   */
  public FileDownloader(TransferSettings settings) {
    this(settings, Sleeper.REAL, Clock.systemUTC());
  }

  FileDownloader(TransferSettings settings, Sleeper sleeper, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings is null");
    this.exchanger = new HttpExchanger(HttpExchanger.newClient(settings), settings);
    this.retry = new RetryPolicy(settings, clock, () -> ThreadLocalRandom.current().nextDouble());
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper is null");
  }

  @Override
  public DownloadResult download(
      DownloadRequest request,
      Path destination,
      ProgressListener listener,
      Cancellation cancellation)
      throws ComputeImageException {
    return download(request, destination, listener, cancellation, DownloadTap.NONE);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The tap is told about every range appended to {@code D.part}, after it was written: a resume
   * in the same call continues where the previous range ended; a restart from the start begins
   * again at offset 0 (the partial file truncated or replaced).
   */
  @Override
  public DownloadResult download(
      DownloadRequest request,
      Path destination,
      ProgressListener listener,
      Cancellation cancellation,
      DownloadTap tap)
      throws ComputeImageException {
    Objects.requireNonNull(request, "request is null");
    Objects.requireNonNull(tap, "tap is null");
    Objects.requireNonNull(destination, "destination is null");
    Objects.requireNonNull(listener, "listener is null");
    Objects.requireNonNull(cancellation, "cancellation is null");
    Schemes.requireHttp(request.uri());
    Path dest = destination.toAbsolutePath().normalize();
    Path parent = dest.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new LocalStorageException(
          "cannot create directory " + parent + " for " + request.uri() + ": "
              + LocalStorageException.describe(e), e);
    }
    cancellation.check();
    try (DestinationLock lock = DestinationLock.acquire(sibling(dest, ".lock"), cancellation, listener)) {
      Optional<DownloadResult> reused = reuse(request, dest, listener, cancellation);
      if (reused.isPresent()) {
        return reused.get();
      }
      return new Job(request, dest, listener, cancellation, tap).run();
    }
  }

  private Optional<DownloadResult> reuse(
      DownloadRequest request, Path dest, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    if (!Files.isRegularFile(dest)) {
      return Optional.empty();
    }
    try {
      long size = Files.size(dest);
      Optional<VerifiedRecord> record = VerifiedRecord.read(dest);
      if (record.isPresent()) {
        VerifiedRecord r = record.get();
        if (r.digest().equals(request.expected()) && r.size() == size) {
          listener.note("using verified " + dest.getFileName() + " (" + r.digest() + ")");
          return Optional.of(new DownloadResult(dest, size, true, 0));
        }
        return Optional.empty();
      }
      // no record (for example a file placed by hand): accept it if its content matches
      MessageDigest md = newDigest(request.expected());
      hashPrefix(dest, size, md, cancellation);
      Digest actual = new Digest(request.expected().algorithm(), HexFormat.of().formatHex(md.digest()));
      if (!actual.equals(request.expected())) {
        return Optional.empty();
      }
      new VerifiedRecord(actual, size).write(dest);
      listener.note("using existing " + dest.getFileName() + " after checking " + actual);
      return Optional.of(new DownloadResult(dest, size, true, 0));
    } catch (IOException e) {
      throw new LocalStorageException("cannot read " + dest + ": " + LocalStorageException.describe(e), e);
    }
  }

  private static Path sibling(Path dest, String suffix) {
    return dest.resolveSibling(dest.getFileName() + suffix);
  }

  private static MessageDigest newDigest(Digest expected) {
    try {
      return MessageDigest.getInstance(expected.algorithm().jdkName());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + expected.algorithm().jdkName(), e);
    }
  }

  private static void hashPrefix(Path file, long length, MessageDigest md, Cancellation cancellation)
      throws IOException, CancelledException {
    ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long left = length;
      while (left > 0) {
        cancellation.check();
        buf.clear().limit((int) Math.min(buf.capacity(), left));
        int n = ch.read(buf);
        if (n < 0) {
          throw new IOException(file + " is shorter than " + length + " bytes");
        }
        md.update(buf.array(), 0, n);
        left -= n;
      }
    }
  }

  /** The outcome of one attempt that did not finish the download. */
  private static final class Retry {
    final String failure;
    final Optional<String> retryAfter;
    final Throwable cause;
    /** Bytes of the file held after the attempt, or -1 when it wrote none. */
    final long reached;
    final boolean restart;

    Retry(String failure, Optional<String> retryAfter, Throwable cause, long reached) {
      this(failure, retryAfter, cause, reached, false);
    }

    private Retry(
        String failure, Optional<String> retryAfter, Throwable cause, long reached, boolean restart) {
      this.failure = failure;
      this.retryAfter = retryAfter;
      this.cause = cause;
      this.reached = reached;
      this.restart = restart;
    }

    /**
     * An immediate new attempt from byte 0 that does not count as a failure: the partial file was
     * dropped, so the next request carries no Range and cannot end the same way.
     */
    static Retry restartFromZero(String why) {
      return new Retry(why, Optional.empty(), null, -1, true);
    }
  }

  /** One download: its files, its progress and its attempts. */
  private final class Job {
    private final DownloadRequest request;
    private final Path dest;
    private final Path part;
    private final Path meta;
    private final String task;
    private final String url;
    private final ProgressListener listener;
    private final Cancellation cancellation;
    private final DownloadTap tap;
    private PartState state;
    private boolean started;
    private boolean restartedAfterMismatch;
    private DownloadResult result;

    Job(
        DownloadRequest request,
        Path dest,
        ProgressListener listener,
        Cancellation cancellation,
        DownloadTap tap) {
      this.tap = tap;
      this.request = request;
      this.dest = dest;
      this.part = sibling(dest, ".part");
      this.meta = sibling(dest, ".part.meta");
      this.task = dest.getFileName().toString();
      this.url = request.uri().toString();
      this.listener = listener;
      this.cancellation = cancellation;
    }

    DownloadResult run() throws ComputeImageException {
      state = PartState.read(meta).filter(this::matchesRequest).orElse(null);
      if (state == null) {
        deleteQuietly(part);
        deleteQuietly(meta);
      }
      int failures = 0;
      int restarts = 0;
      // the most bytes held so far: an attempt that gets no further than an earlier one (a
      // server that cuts every body at the same point and cannot resume) is not progress
      long furthest = partSize();
      while (true) {
        cancellation.check();
        Retry r;
        try {
          r = attempt();
        } catch (IOException e) {
          r = new Retry(Failures.describe(e), Optional.empty(), e, -1);
        }
        if (r == null) {
          listener.finished(task);
          return result;
        }
        if (r.restart) {
          // a restart is followed by a request without Range, so it cannot recur the same way;
          // bounded all the same
          if (++restarts > retry.maxAttempts()) {
            throw new TransferException("download of " + url + " failed after " + restarts
                + " restarts from the start: " + r.failure, r.cause);
          }
          listener.note("restarting " + url + " from the start: " + r.failure);
          continue;
        }
        boolean progressed = r.reached > furthest;
        furthest = Math.max(furthest, r.reached);
        failures = progressed ? 1 : failures + 1;
        if (failures >= retry.maxAttempts()) {
          throw new TransferException(
              "download of " + url + " failed after " + failures + " attempt"
                  + (failures == 1 ? "" : "s") + ": " + r.failure,
              r.cause);
        }
        Duration delay = retry.delay(failures, r.retryAfter);
        listener.note(
            "retrying " + url + " in " + Failures.seconds(delay) + " (" + r.failure + ")");
        try {
          sleeper.sleep(delay, cancellation);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CancelledException("download of " + url + " interrupted", e);
        }
      }
    }

    private boolean matchesRequest(PartState s) {
      return s.url().equals(url) && s.expected().equals(request.expected().toString());
    }

    /** Returns null when the download is complete (see {@link #result}), else why to retry. */
    private Retry attempt() throws IOException, ComputeImageException {
      long offset = partSize();
      if (offset > 0 && (state == null || state.ifRange().isEmpty())) {
        listener.note("cannot resume " + task + " (no validator from the server), starting again");
        restartFromZero();
        offset = 0;
      }
      Map<String, String> extra =
          offset > 0
              ? Map.of("Range", "bytes=" + offset + "-", "If-Range", state.ifRange().orElseThrow())
              : Map.of();
      try (HttpExchanger.Exchange ex =
          exchanger.open("GET", request.uri(), request.headers(), extra, cancellation)) {
        int status = ex.status();
        String where = ex.finalUri().equals(request.uri()) ? "" : " from " + ex.finalUri();
        long total;
        if (status == 206 && offset > 0) {
          long[] range = parseContentRange(ex.header("content-range"));
          if (range == null || range[0] != offset) {
            restartFromZero();
            return Retry.restartFromZero(
                "resume at " + offset + " answered with Content-Range '" + ex.header("content-range") + "'");
          }
          total = range[2] >= 0 ? range[2] : state.total();
          listener.note("resuming " + task + " at " + offset + " bytes");
        } else if (status == 200) {
          if (offset > 0) {
            listener.note("server ignored the range for " + task + ", starting again");
            offset = 0;
          }
          long length = ex.response().headers().firstValueAsLong("content-length").orElse(-1);
          state =
              new PartState(
                  url,
                  request.expected().toString(),
                  Optional.ofNullable(ex.header("etag")).orElse(""),
                  Optional.ofNullable(ex.header("last-modified")).orElse(""),
                  length);
          startPart();
          total = length;
        } else if (status == 416 && offset > 0) {
          long[] range = parseContentRange(ex.header("content-range"));
          long full = range != null && range[2] >= 0 ? range[2] : state.total();
          if (full == offset) {
            if (!started) {
              listener.started(task, "download " + url, full);
              started = true;
            }
            return finish(offset, offset, newDigestPrefix(offset));
          }
          restartFromZero();
          return Retry.restartFromZero("HTTP 416 for a resume at " + offset + " bytes" + where);
        } else if (RetryPolicy.isRetryableStatus(status)) {
          return new Retry(
              "HTTP " + status + where, Optional.ofNullable(ex.header("retry-after")), null, -1);
        } else {
          throw statusError(status, where);
        }

        long expectedSize = request.expectedSize();
        if (expectedSize >= 0 && total >= 0 && total != expectedSize) {
          restartFromZero();
          throw new SizeMismatchException(url + where + " (announced by the server)", expectedSize, total);
        }
        MessageDigest md = newDigestPrefix(offset);
        if (!started) {
          listener.started(
              task, "download " + url, total >= 0 ? total : request.expectedSize());
          started = true;
        }
        long[] endHolder = new long[1];
        Retry failed = stream(ex.body(), offset, md, endHolder);
        if (failed != null) {
          return failed;
        }
        long end = endHolder[0];
        if (total >= 0 && end != total) {
          return new Retry(
              "body ended after " + end + " of " + total + " bytes" + where,
              Optional.empty(), null, end > offset ? end : -1);
        }
        return finish(offset, end, md);
      }
    }

    private MessageDigest newDigestPrefix(long offset) throws ComputeImageException {
      MessageDigest md = newDigest(request.expected());
      if (offset > 0) {
        try {
          hashPrefix(part, offset, md, cancellation);
        } catch (IOException e) {
          throw local(e);
        }
      }
      return md;
    }

    private long partSize() throws LocalStorageException {
      try {
        return Files.isRegularFile(part) ? Files.size(part) : 0;
      } catch (IOException e) {
        throw local(e);
      }
    }

    private Retry finish(long resumedFrom, long size, MessageDigest md) throws ComputeImageException {
      Digest actual = new Digest(request.expected().algorithm(), HexFormat.of().formatHex(md.digest()));
      if (!actual.equals(request.expected())) {
        deleteQuietly(part);
        deleteQuietly(meta);
        state = null;
        if (resumedFrom > 0 && !restartedAfterMismatch) {
          // the kept prefix may be what is wrong (a server without reliable validators): one more
          // try from the start before blaming the content
          restartedAfterMismatch = true;
          return Retry.restartFromZero(
              "checksum mismatch after resuming at " + resumedFrom + " bytes (got " + actual + ")");
        }
        throw new DigestMismatchException(url, request.expected(), actual);
      }
      try {
        VerifiedRecord.delete(dest);
        AtomicFiles.move(part, dest);
        new VerifiedRecord(actual, size).write(dest);
        Files.deleteIfExists(meta);
      } catch (IOException e) {
        throw new LocalStorageException(
            "cannot move the download of " + url + " into " + dest + ": "
                + LocalStorageException.describe(e), e);
      }
      if (started) {
        listener.progressed(task, size);
      }
      result = new DownloadResult(dest, size, false, resumedFrom);
      return null;
    }

    /**
     * Appends the body to the partial file, hashing it. Bytes gather in a 1 MiB buffer that is
     * written out when full or when no more bytes are immediately available, so what arrived is
     * on disk before a read blocks.
     */
    private Retry stream(InputStream in, long offset, MessageDigest md, long[] end)
        throws ComputeImageException {
      long position = offset;
      ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
      FileChannel ch;
      try {
        ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        ch.truncate(offset);
        ch.position(offset);
      } catch (IOException e) {
        throw local(e);
      }
      try (FileChannel out = ch;
          StallGuard guard = StallGuard.watch(in, settings.stallTimeout(), cancellation)) {
        while (true) {
          int n;
          try {
            n = in.read(buf.array(), buf.position(), buf.remaining());
          } catch (IOException e) {
            position = flushKeepingInterrupt(out, buf, md, position);
            end[0] = position;
            return failure(guard, e, position > offset ? position : -1);
          }
          if (guard.stalled() || guard.cancelled()) {
            position = flushKeepingInterrupt(out, buf, md, position);
            end[0] = position;
            return failure(guard, null, position > offset ? position : -1);
          }
          if (n < 0) {
            position = flushKeepingInterrupt(out, buf, md, position);
            break;
          }
          guard.progressed();
          buf.position(buf.position() + n);
          long expectedSize = request.expectedSize();
          if (expectedSize >= 0 && position + buf.position() > expectedSize) {
            restartFromZero();
            throw new TransferException(
                "download of " + url + " failed: the server sent more than the expected "
                    + expectedSize + " bytes");
          }
          if (!buf.hasRemaining() || available(in) == 0) {
            position = flushKeepingInterrupt(out, buf, md, position);
            listener.progressed(task, position);
          }
          if (cancellation.isCancelled() || Thread.currentThread().isInterrupted()) {
            position = flushKeepingInterrupt(out, buf, md, position);
            throw new CancelledException("download of " + url + " cancelled at " + position + " bytes");
          }
        }
        out.force(false);
      } catch (IOException e) {
        throw local(e);
      }
      end[0] = position;
      return null;
    }

    /**
     * Writes what was read, even when the thread is interrupted (a file channel used by an
     * interrupted thread closes itself instead), and leaves the interrupt as it was: the bytes
     * read before a cancellation are kept for the next attempt.
     */
    private long flushKeepingInterrupt(FileChannel out, ByteBuffer buf, MessageDigest md, long position)
        throws LocalStorageException {
      boolean interrupted = Thread.interrupted();
      try {
        return flush(out, buf, md, position);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private Retry failure(StallGuard guard, IOException e, long reached)
        throws CancelledException {
      if (guard.cancelled() || Thread.currentThread().isInterrupted()) {
        throw new CancelledException("download of " + url + " cancelled");
      }
      if (guard.stalled()) {
        return new Retry(
            "no data received for " + Failures.seconds(settings.stallTimeout()),
            Optional.empty(),
            e,
            reached);
      }
      return new Retry(Failures.describe(e), Optional.empty(), e, reached);
    }

    private long flush(FileChannel out, ByteBuffer buf, MessageDigest md, long position)
        throws LocalStorageException {
      if (buf.position() == 0) {
        return position;
      }
      buf.flip();
      md.update(buf.array(), 0, buf.limit());
      int length = buf.limit();
      try {
        while (buf.hasRemaining()) {
          out.write(buf);
        }
      } catch (IOException e) {
        throw local(e);
      }
      buf.clear();
      tap.written(part, position, length);
      return position + length;
    }

    private int available(InputStream in) {
      try {
        return in.available();
      } catch (IOException e) {
        return 0;
      }
    }

    private void startPart() throws LocalStorageException {
      try {
        try (FileChannel ch =
            FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
          ch.truncate(0);
        }
        state.write(meta);
      } catch (IOException e) {
        throw local(e);
      }
    }

    private void restartFromZero() throws LocalStorageException {
      try {
        Files.deleteIfExists(part);
        Files.deleteIfExists(meta);
      } catch (IOException e) {
        throw local(e);
      }
      state = null;
    }

    private LocalStorageException local(IOException e) {
      return new LocalStorageException(
          "cannot write " + part + " while downloading " + url + ": "
              + LocalStorageException.describe(e), e);
    }

    private ComputeImageException statusError(int status, String where) {
      String m = "download of " + url + " failed: HTTP " + status + where;
      if (status == 404 || status == 410) {
        return new NotFoundException(m);
      }
      if (status == 401 || status == 403) {
        return new UnauthorizedException(m);
      }
      return new TransferException(m);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover partial file is harmless: it is checked before use
    }
  }

  /** Parses {@code bytes a-b/total} or {@code bytes * /total}; total is -1 when {@code *}. */
  static long[] parseContentRange(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
      return null;
    }
    v = v.substring(6).trim();
    int slash = v.indexOf('/');
    if (slash < 0) {
      return null;
    }
    try {
      String totalText = v.substring(slash + 1).trim();
      long total = totalText.equals("*") ? -1 : Long.parseLong(totalText);
      String span = v.substring(0, slash).trim();
      if (span.equals("*")) {
        return new long[] {-1, -1, total};
      }
      int dash = span.indexOf('-');
      if (dash < 0) {
        return null;
      }
      return new long[] {
        Long.parseLong(span.substring(0, dash).trim()), Long.parseLong(span.substring(dash + 1).trim()), total
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
