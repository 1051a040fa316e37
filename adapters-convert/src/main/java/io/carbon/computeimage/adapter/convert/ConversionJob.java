package io.carbon.computeimage.adapter.convert;

import io.carbon.computeimage.adapter.convert.raw.OutputFile;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The conversion pipeline: one coordinator walks the source's units in guest order (metadata
 * reads), a fixed pool of workers reads and decompresses each unit into a pooled buffer and
 * writes it with positional writes (only non-zero 4 KiB blocks when sparse). The number of
 * buffers bounds the memory: {@code 2 x threads + 2} units (2 MiB each by default).
 */
final class ConversionJob {
  private final UnitSource source;
  private final OutputFile out;
  private final boolean sparse;
  private final int threads;
  private final ProgressListener listener;
  private final String taskId;
  private final Cancellation cancellation;

  ConversionJob(UnitSource source, OutputFile out, boolean sparse, int threads,
      ProgressListener listener, String taskId, Cancellation cancellation) {
    this.source = source;
    this.out = out;
    this.sparse = sparse;
    this.threads = Math.max(1, threads);
    this.listener = listener;
    this.taskId = taskId;
    this.cancellation = cancellation;
  }

  /**
   * Runs the pipeline to completion.
   *
   * @return bytes of data written
   * @throws Exception the first failure of the coordinator or a worker, or CancelledException
   */
  long run() throws Exception {
    int pool = 2 * threads + 2;
    BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(pool);
    AtomicInteger allocated = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong written = new AtomicLong();
    AtomicLong done = new AtomicLong();
    AtomicInteger threadNo = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "convert-" + threadNo.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    byte[] zeros = sparse ? null : new byte[source.unitBytes()];
    long[] lastReport = {0};
    long reportEvery = Math.max(source.unitBytes(), source.size() / 200);
    try {
      source.forEachUnit((guest, length, reader) -> {
        if (failure.get() != null) {
          throw failure.get();
        }
        cancellation.check();
        if (reader == null) {
          if (!sparse) {
            out.write(zeros, 0, length, guest);
          }
          done.addAndGet(length);
        } else {
          byte[] buf = buffers.poll();
          if (buf == null) {
            if (allocated.get() < pool) {
              allocated.incrementAndGet();
              buf = new byte[source.unitBytes()];
            } else {
              buf = buffers.take();
            }
          }
          final byte[] b = buf;
          workers.execute(() -> {
            try {
              if (failure.get() == null && !cancellation.isCancelled()) {
                reader.fill(b);
                long w = sparse ? out.writeSparse(b, 0, length, guest) : write(b, length, guest);
                written.addAndGet(w);
                done.addAndGet(length);
              }
            } catch (Exception e) {
              failure.compareAndSet(null, e);
            } catch (Error e) {
              failure.compareAndSet(null, new IllegalStateException(e.toString(), e));
            } finally {
              buffers.offer(b);
            }
          });
        }
        long d = done.get();
        if (d - lastReport[0] >= reportEvery) {
          lastReport[0] = d;
          listener.progressed(taskId, d);
        }
      });
      workers.shutdown();
      while (!workers.awaitTermination(100, TimeUnit.MILLISECONDS)) {
        if (cancellation.isCancelled()) {
          failure.compareAndSet(null, new CancelledException("conversion cancelled"));
        }
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      cancellation.check();
      listener.progressed(taskId, source.size());
      return written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("conversion interrupted", e);
    } finally {
      workers.shutdownNow();
      workers.awaitTermination(1, TimeUnit.MINUTES);
      buffers.clear();
    }
  }

  private long write(byte[] b, int length, long guest) throws java.io.IOException {
    out.write(b, 0, length, guest);
    return length;
  }
}
