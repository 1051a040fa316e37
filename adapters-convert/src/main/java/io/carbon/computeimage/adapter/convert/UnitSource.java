package io.carbon.computeimage.adapter.convert;

import java.io.IOException;

/**
 * A disk source split into units (guest ranges of at most {@link #unitBytes()}), walked in guest
 * order by one coordinator thread; the returned {@link UnitReader}s run on worker threads.
 */
interface UnitSource extends AutoCloseable {
  /** @return the guest size */
  long size();

  /** @return the largest unit length */
  int unitBytes();

  /**
   * Walks the units in order.
   *
   * @param sink receives each unit
   * @throws Exception from the sink (cancellation) or on malformed metadata
   */
  void forEachUnit(UnitSink sink) throws Exception;

  @Override
  void close() throws IOException;

  /** Receives units. */
  interface UnitSink {
    /**
     * One unit.
     *
     * @param guestOffset the unit's first guest byte
     * @param length the unit's length
     * @param reader fills the unit, or {@code null} when the unit is known to read as zero
     * @throws Exception to stop the walk
     */
    void unit(long guestOffset, int length, UnitReader reader) throws Exception;
  }

  /** Fills a unit's bytes; runs on a worker thread. */
  @FunctionalInterface
  interface UnitReader {
    /**
     * Fills {@code buf[0, length)}.
     *
     * @param buf the buffer (at least the unit length; contents undefined on entry)
     * @throws Exception when the source is malformed or unreadable
     */
    void fill(byte[] buf) throws Exception;
  }
}
