package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child process for {@link FileDownloaderProcessTest}: downloads {@code args[0]} to {@code
 * args[1]} expecting digest {@code args[2]}, printing notes and a RESULT line.
 */
public final class DownloadMain {
  private DownloadMain() {}

  public static void main(String[] args) {
    TransferSettings settings =
        new TransferSettings(
            Duration.ofSeconds(5), Duration.ofSeconds(30), 3, Duration.ofMillis(50), Duration.ofSeconds(1), "child");
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void note(String message) {
            System.out.println("NOTE " + message);
            System.out.flush();
          }

          @Override
          public void started(String taskId, String description, long totalBytes) {
            System.out.println("STARTED " + taskId);
            System.out.flush();
          }
        };
    try {
      DownloadResult r =
          new FileDownloader(settings)
              .download(
                  DownloadRequest.of(URI.create(args[0]), Digest.parse(args[2])),
                  Path.of(args[1]),
                  listener,
                  Cancellation.NONE);
      System.out.println("RESULT reused=" + r.reused() + " resumedFrom=" + r.resumedFrom());
      System.exit(0);
    } catch (ComputeImageException e) {
      System.out.println("ERROR " + e.getMessage());
      System.exit(e.kind().exitCode());
    }
  }
}
