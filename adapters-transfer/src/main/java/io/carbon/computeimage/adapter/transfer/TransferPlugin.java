package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import java.util.List;

/**
 * Registers the {@code jdk-http} {@link TransferProvider} through {@link java.util.ServiceLoader}.
 *
 * @since 0.1
 */
public final class TransferPlugin implements ComputeImagePlugin {
  /** Creates the plugin; cheap. */
  public TransferPlugin() {}

  @Override
  public String name() {
    return "builtin-transfer";
  }

  @Override
  public List<TransferProvider> transferProviders() {
    return List.of(new JdkTransferProvider());
  }
}
