package io.carbon.computeimage.domain.container;

import io.carbon.computeimage.ports.progress.ProgressListener;

/**
 * Passes a layer store's progress on under the layer's own name: the store only knows the
 * temporary directory it unpacks into (and, while the blob still downloads, not its size), so its
 * label would show an internal name and no total.
 */
final class LayerUnpackProgress implements ProgressListener {
  private final ProgressListener delegate;
  private final String label;
  private final long blobSize;

  /**
   * @param delegate the listener the user gave
   * @param label what the task is called, for example {@code unpack layer 2 (0515da6ad439)}
   * @param blobSize the compressed size from the manifest, used when the store reports none
   */
  LayerUnpackProgress(ProgressListener delegate, String label, long blobSize) {
    this.delegate = delegate;
    this.label = label;
    this.blobSize = blobSize;
  }

  @Override
  public void started(String taskId, String description, long totalBytes) {
    delegate.started(taskId, label, totalBytes >= 0 ? totalBytes : blobSize);
  }

  @Override
  public void progressed(String taskId, long completedBytes) {
    delegate.progressed(taskId, completedBytes);
  }

  @Override
  public void finished(String taskId) {
    delegate.finished(taskId);
  }

  @Override
  public void note(String message) {
    delegate.note(message);
  }
}
