package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import io.carbon.computeimage.ports.transfer.TransferSettings;

/**
 * The {@code jdk-http} transfer provider: {@link JdkHttpTransport} and {@link FileDownloader}.
 *
 * @since 0.1
 */
public final class JdkTransferProvider implements TransferProvider {
  /** The provider's name. */
  public static final String NAME = "jdk-http";

  /** Creates the provider; cheap. */
  public JdkTransferProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public HttpTransport httpTransport(TransferSettings settings) {
    return new JdkHttpTransport(settings);
  }

  @Override
  public HttpTransport httpTransport(TransferSettings settings, ProgressListener notes) {
    return new JdkHttpTransport(settings, notes);
  }

  @Override
  public HttpTransport httpTransport(
      TransferSettings settings, ProgressListener notes, Cancellation cancellation) {
    return new JdkHttpTransport(settings, notes, cancellation);
  }

  @Override
  public Downloader downloader(TransferSettings settings) {
    return new FileDownloader(settings);
  }
}
