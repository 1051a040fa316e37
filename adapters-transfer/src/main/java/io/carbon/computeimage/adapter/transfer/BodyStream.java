package io.carbon.computeimage.adapter.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body read as an {@link InputStream}, as {@code BodyHandlers.ofInputStream()} gives,
 * except that a reader blocked waiting for data honours thread interruption: it throws an
 * {@link InterruptedIOException} and keeps the thread's interrupt status (the JDK 17 stream
 * swallows the interruption and waits on, so an interrupted download ran to its end). Like the
 * JDK's, it asks the server side for one list of buffers at a time, and {@link #close} from any
 * thread cancels the exchange and wakes a blocked reader.
 */
final class BodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  /** The handler giving each response such a body. */
  static final HttpResponse.BodyHandler<InputStream> HANDLER = info -> new BodyStream();

  private static final List<ByteBuffer> END = List.of();

  private final BlockingQueue<List<ByteBuffer>> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile Throwable failure;
  private volatile boolean closed;
  // reader's state (one reader at a time, as for any InputStream)
  private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
  private ByteBuffer current;
  private boolean ended;

  private BodyStream() {}

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
      return;
    }
    s.request(1); // before the reader can see the body and ask for more itself
    body.complete(this);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    failure = t;
    queue.add(END);
    body.complete(this); // a failure before the body started is read as one
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  /** @return a buffer with bytes left, or null at the end of the body */
  private ByteBuffer next() throws IOException {
    while (current == null || !current.hasRemaining()) {
      if (closed) {
        throw new IOException("closed");
      }
      if (buffers.hasNext()) {
        current = buffers.next();
        continue;
      }
      if (ended) {
        return null;
      }
      List<ByteBuffer> list;
      try {
        list = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the response body");
      }
      if (list == END) {
        ended = true;
        queue.add(END); // a later read ends the same way
        Throwable t = failure;
        if (closed) {
          throw new IOException("closed");
        }
        if (t != null) {
          throw t instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(t);
        }
        return null;
      }
      buffers = list.iterator();
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(1);
      }
    }
    return current;
  }

  @Override
  public int read() throws IOException {
    ByteBuffer b = next();
    return b == null ? -1 : b.get() & 0xff;
  }

  @Override
  public int read(byte[] dst, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, dst.length);
    if (len == 0) {
      return 0;
    }
    ByteBuffer b = next();
    if (b == null) {
      return -1;
    }
    int n = Math.min(len, b.remaining());
    b.get(dst, off, n);
    return n;
  }

  @Override
  public int available() {
    ByteBuffer b = current;
    return b == null || closed ? 0 : b.remaining();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    queue.add(END); // wakes a reader blocked in take()
  }
}
