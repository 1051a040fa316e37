package io.carbon.computeimage.ports.progress;

/**
 * Receives progress of long operations (downloads, conversions, unpacking).
 *
 * <p>Tasks are identified by a caller-visible id (for example a file name or a layer digest).
 * Implementations must be thread-safe: parallel downloads report from several threads. Every
 * method has a no-op default.
 *
 * @since 0.1
 */
public interface ProgressListener {
  /** A listener that ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /**
   * A task started.
   *
   * @param taskId a short id unique within the operation
   * @param description what the task does, e.g. {@code download ubuntu-24.04.qcow2}
   * @param totalBytes the expected total, or -1 when unknown
   */
  default void started(String taskId, String description, long totalBytes) {}

  /**
   * A task progressed.
   *
   * @param taskId the task's id
   * @param completedBytes bytes done so far (absolute, not a delta)
   */
  default void progressed(String taskId, long completedBytes) {}

  /**
   * A task finished successfully.
   *
   * @param taskId the task's id
   */
  default void finished(String taskId) {}

  /**
   * An informational note for the user (a retry, a resume, a cache hit).
   *
   * @param message one line of text
   */
  default void note(String message) {}
}
