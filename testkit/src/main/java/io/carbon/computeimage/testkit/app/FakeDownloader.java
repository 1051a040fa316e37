package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.Downloader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A downloader serving bytes from memory, following the port's contract: verified sidecar
 * ({@code <file>.digest}), reuse while the digest matches, mismatch removes nothing final.
 */
public final class FakeDownloader implements Downloader {
  private final Map<String, byte[]> content = new ConcurrentHashMap<>();
  private final List<String> fetched = new CopyOnWriteArrayList<>();

  /**
   * Serves bytes at a URL.
   *
   * @param uri the URL
   * @param data the bytes
   */
  public void serve(String uri, byte[] data) {
    content.put(uri, data.clone());
  }

  /** @return the URLs actually fetched (not reused), in order */
  public List<String> fetched() {
    return List.copyOf(fetched);
  }

  @Override
  public synchronized DownloadResult download(
      DownloadRequest request, Path destination, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    cancellation.check();
    Path sidecar = destination.resolveSibling(destination.getFileName() + ".digest");
    try {
      if (Files.isRegularFile(destination)
          && Files.isRegularFile(sidecar)
          && Files.readString(sidecar, StandardCharsets.UTF_8).trim().equals(request.expected().toString())) {
        return new DownloadResult(destination, Files.size(destination), true, 0);
      }
      byte[] data = content.get(request.uri().toString());
      if (data == null) {
        throw new NotFoundException("HTTP 404 for " + request.uri());
      }
      fetched.add(request.uri().toString());
      Digest actual = Hashes.sha256(data);
      if (!actual.equals(request.expected())) {
        throw new DigestMismatchException(request.uri().toString(), request.expected(), actual);
      }
      Files.createDirectories(destination.getParent());
      String task = destination.getFileName().toString();
      listener.started(task, "download " + task, data.length);
      Path tmp = destination.resolveSibling(destination.getFileName() + ".tmp");
      Files.write(tmp, data);
      listener.progressed(task, data.length);
      Files.move(tmp, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(sidecar, actual.toString());
      listener.finished(task);
      return new DownloadResult(destination, data.length, false, 0);
    } catch (IOException e) {
      throw new LocalStorageException("cannot write " + destination + ": " + e, e);
    }
  }
}
