package io.carbon.computeimage.adapter.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

final class TransferPluginTest {
  @Test
  void transferProviders_direct_contributesJdkHttp() {
    TransferProvider p = new TransferPlugin().transferProviders().get(0);
    assertThat(p.name()).isEqualTo("jdk-http");
    assertThat(p.httpTransport(TransferSettings.defaults())).isInstanceOf(JdkHttpTransport.class);
    assertThat(p.downloader(TransferSettings.defaults())).isInstanceOf(FileDownloader.class);
  }

  @Test
  void serviceLoader_findsTransferPlugin() {
    assertThat(ServiceLoader.load(ComputeImagePlugin.class).stream().map(ServiceLoader.Provider::type))
        .contains(TransferPlugin.class);
  }
}
