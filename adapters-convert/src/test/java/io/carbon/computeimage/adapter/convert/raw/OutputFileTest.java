package io.carbon.computeimage.adapter.convert.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output file's writes (size of each system call, holes) and its flush before the rename. */
class OutputFileTest {
  @TempDir Path tmp;

  @Test
  void create_removesAbandonedTempFiles_keepsThoseBeingWritten() throws Exception {
    Path dest = tmp.resolve("disk.img");
    Path abandoned = Files.write(tmp.resolve(".disk.img.00000000001f2e3d.part"), new byte[] {1, 2, 3});
    Path notOurs = Files.write(tmp.resolve(".disk.img.notes.part"), new byte[] {1});
    Path shortHex = Files.write(tmp.resolve(".disk.img.abc.part"), new byte[] {1});
    Path upperHex = Files.write(tmp.resolve(".disk.img.ABCDEF0123456789.part"), new byte[] {1});
    Path otherDisk = Files.write(tmp.resolve(".other.img.00000000001f2e3d.part"), new byte[] {1});
    Path heldElsewhere = Files.write(tmp.resolve(".disk.img.aaaaaaaaaaaaaaaa.part"), new byte[] {1});
    // another process writing the same destination holds its file's lock, as create does
    io.carbon.computeimage.testkit.lock.OtherProcessLock holder =
        io.carbon.computeimage.testkit.lock.OtherProcessLock.hold(heldElsewhere);
    try {
      try (OutputFile first = OutputFile.create(dest, false)) {
        assertThat(abandoned).doesNotExist();
        assertThat(notOurs).exists();
        assertThat(shortHex).exists(); // only the 16 lowercase hex digits create writes
        assertThat(upperHex).exists();
        assertThat(otherDisk).exists();
        assertThat(heldElsewhere).exists();
        // a second write of the same destination in this JVM keeps the first one's file
        try (OutputFile second = OutputFile.create(dest, false)) {
          assertThat(first.temp()).exists();
          second.write(new byte[] {9}, 0, 1, 0);
          second.commit(1, false);
        }
        assertThat(first.temp()).exists();
        first.write(new byte[] {7}, 0, 1, 0);
        first.commit(1, false);
      }
      assertThat(Files.readAllBytes(dest)).containsExactly(7);
    } finally {
      holder.close();
    }
    // once its writer is gone, a leftover is abandoned
    try (OutputFile again = OutputFile.create(dest, false)) {
      assertThat(heldElsewhere).doesNotExist();
    }
    try (var s = Files.list(tmp)) {
      assertThat(s.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(".disk.img.")))
          .containsExactlyInAnyOrder(".disk.img.notes.part", ".disk.img.abc.part", ".disk.img.ABCDEF0123456789.part");
    }
  }

  @Test
  void commit_lockHeldUntilTheRename_replacedFileKeepsModeAndOwner() throws Exception {
    Path dest = tmp.resolve("private.img");
    Files.write(dest, new byte[] {1});
    Files.setPosixFilePermissions(dest, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    var nobody = dest.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(dest, nobody);
    Boolean[] lockedAtFlush = new Boolean[1];
    OutputFile[] out = new OutputFile[1];
    out[0] = OutputFile.create(dest, false, ch -> new RecordingChannel(ch) {
      @Override
      public void force(boolean metaData) throws IOException {
        super.force(metaData);
        // the final flush comes after the length is set and just before the rename: another
        // process must still find the file locked (closing any descriptor of it drops the lock)
        lockedAtFlush[0] = io.carbon.computeimage.testkit.lock.OtherProcessLock.lockedElsewhere(out[0].temp());
      }
    });
    try (OutputFile o = out[0]) {
      o.write(new byte[] {5, 6}, 0, 2, 0);
      o.commit(8192, true);
    }
    assertThat(lockedAtFlush[0]).isTrue();
    assertThat(Files.size(dest)).isEqualTo(8192);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)))
        .isEqualTo("rw-------");
    assertThat(Files.getOwner(dest)).isEqualTo(nobody);
  }

  @Test
  void bigWrites_splitIntoAtMostOneMebibyte_contentExact() throws IOException {
    RecordingChannel[] seen = new RecordingChannel[1];
    Path dest = tmp.resolve("disk.img");
    byte[] data = new byte[5 * (1 << 20) + 3];
    new Random(7).nextBytes(data);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 10);
    direct.put(10, data);
    try (OutputFile out =
        OutputFile.create(dest, true, ch -> seen[0] = new RecordingChannel(ch))) {
      out.write(direct, 10, data.length, 0); // direct buffer, absolute index 10
      out.write(data, 0, data.length, data.length); // heap array
      out.commit(2L * data.length, true);
    }
    // a 2 MiB buffered write gets a 2 MiB page-cache folio, ~10x slower on this project's VMs
    assertThat(seen[0].writes).isNotEmpty().allMatch(n -> n <= OutputFile.MAX_WRITE);
    assertThat(seen[0].writes.stream().mapToLong(Integer::longValue).sum())
        .isEqualTo(2L * data.length);
    byte[] back = Files.readAllBytes(dest);
    assertThat(back).hasSize(2 * data.length);
    assertThat(java.util.Arrays.copyOfRange(back, 0, data.length)).isEqualTo(data);
    assertThat(java.util.Arrays.copyOfRange(back, data.length, back.length)).isEqualTo(data);
  }

  @Test
  void writeSparse_skipsZeroBlocks_mergesTheRest_chunked() throws IOException {
    RecordingChannel[] seen = new RecordingChannel[1];
    Path dest = tmp.resolve("sparse.img");
    int block = OutputFile.SPARSE_BLOCK;
    ByteBuffer buf = ByteBuffer.allocateDirect(1024 * block); // 4 MiB
    for (int i = 0; i < 1024; i++) {
      if (i < 600 || i >= 700) { // blocks 600..699 stay zero
        buf.put(i * block + 5, (byte) (i | 1));
      }
    }
    long written;
    try (OutputFile out =
        OutputFile.create(dest, true, ch -> seen[0] = new RecordingChannel(ch))) {
      written = out.writeSparse(buf, 0, buf.capacity(), 0);
      out.commit(buf.capacity(), false);
    }
    assertThat(written).isEqualTo(924L * block);
    assertThat(seen[0].writes).allMatch(n -> n <= OutputFile.MAX_WRITE);
    assertThat(seen[0].writePositions).doesNotContain(600L * block); // the hole is not written
    byte[] back = Files.readAllBytes(dest);
    assertThat(back[650 * block + 5]).isZero();
    assertThat(back[599 * block + 5]).isEqualTo((byte) (599 | 1));
    assertThat(back[700 * block + 5]).isEqualTo((byte) (700 | 1));
  }

  @Test
  void commit_flushesOnlyWhenAsked() throws IOException {
    for (boolean sync : List.of(true, false)) {
      RecordingChannel[] seen = new RecordingChannel[1];
      Path dest = tmp.resolve("out-" + sync + ".img");
      try (OutputFile out =
          OutputFile.create(dest, true, ch -> seen[0] = new RecordingChannel(ch))) {
        out.write(new byte[] {1, 2, 3}, 0, 3, 0);
        out.commit(4096, sync);
      }
      assertThat(seen[0].forces.get()).as("force calls with sync=" + sync).isEqualTo(sync ? 1 : 0);
      assertThat(dest).hasSize(4096);
      try (var files = Files.list(tmp)) {
        assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
      }
    }
  }

  /**
   * The background flusher must see the stop of {@code commit} whenever it comes: a flush request
   * made by the last write, just before the commit, once let the flusher take the stop signal
   * for a flush request and wait for another forever, with {@code commit} waiting for it (a hang
   * seen on CI). Thousands of short conversions, each ending with such a request.
   */
  @Test
  void commitRightAfterAFlushRequest_neverWaitsForever() throws Exception {
    java.util.concurrent.ExecutorService runner = java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    ByteBuffer block = ByteBuffer.allocateDirect(4096);
    java.util.concurrent.Future<?> loop = runner.submit(() -> {
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(4);
      while (System.nanoTime() < end && !stop.get()) {
        Path dest = tmp.resolve("d" + (done.get() % 4) + ".img");
        try (OutputFile out = OutputFile.create(dest, false, NoFlushChannel::new)) {
          out.flushInBackground(4096);
          out.write(block, 0, 4096, 0); // reaches the flush threshold: a flush request
          out.commit(4096, false); // at once: stops the flusher
        }
        done.incrementAndGet();
      }
      return null;
    });
    try {
      loop.get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      stop.set(true);
      org.assertj.core.api.Assertions.fail("commit waited forever for the flusher after "
          + done.get() + " conversions");
    } finally {
      runner.shutdownNow();
    }
    assertThat(done.get()).isGreaterThan(100);
  }

  /** A channel whose flushes do nothing, so that the test is about the signalling, not the disk. */
  private static final class NoFlushChannel extends RecordingChannel {
    NoFlushChannel(FileChannel inner) {
      super(inner);
    }

    @Override
    public void force(boolean metaData) {
      forces.incrementAndGet();
    }
  }

  /** Delegates to a real channel and records the positional writes and the flushes. */
  private static class RecordingChannel extends FileChannel {
    final FileChannel inner;
    final List<Integer> writes = new CopyOnWriteArrayList<>();
    final List<Long> writePositions = new CopyOnWriteArrayList<>();
    final AtomicInteger forces = new AtomicInteger();

    RecordingChannel(FileChannel inner) {
      this.inner = inner;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      writes.add(src.remaining());
      writePositions.add(position);
      return inner.write(src, position);
    }

    @Override
    public void force(boolean metaData) throws IOException {
      forces.incrementAndGet();
      inner.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return inner.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return inner.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      writes.add(src.remaining());
      return inner.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return inner.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return inner.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      inner.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return inner.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      inner.truncate(size);
      return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target)
        throws IOException {
      return inner.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count)
        throws IOException {
      return inner.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return inner.read(dst, position);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
      return inner.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
      return inner.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return inner.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      inner.close();
    }
  }
}
