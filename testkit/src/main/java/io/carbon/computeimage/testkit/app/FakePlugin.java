package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.util.ArrayList;
import java.util.List;

/** A plugin bundling fakes, for building a PluginRegistry in tests. */
public final class FakePlugin implements ComputeImagePlugin {
  private final String name;
  private final List<DistroCatalog> catalogs = new ArrayList<>();
  private final List<DiskConverter> converters = new ArrayList<>();
  private final List<KernelExtractor> extractors = new ArrayList<>();
  private final List<TransferProvider> transfers = new ArrayList<>();

  /** @param name the plugin name */
  public FakePlugin(String name) {
    this.name = name;
  }

  /**
   * @param c a catalog
   * @return this plugin
   */
  public FakePlugin with(DistroCatalog c) {
    catalogs.add(c);
    return this;
  }

  /**
   * @param c a converter
   * @return this plugin
   */
  public FakePlugin with(DiskConverter c) {
    converters.add(c);
    return this;
  }

  /**
   * @param k a kernel extractor
   * @return this plugin
   */
  public FakePlugin with(KernelExtractor k) {
    extractors.add(k);
    return this;
  }

  /**
   * @param d a downloader, exposed through a transfer provider whose HTTP transport answers 404
   * @return this plugin
   */
  public FakePlugin with(Downloader d) {
    transfers.add(
        new TransferProvider() {
          @Override
          public String name() {
            return "fake-transfer";
          }

          @Override
          public HttpTransport httpTransport(TransferSettings settings) {
            return request -> {
              throw new NotFoundException("fake transport has no " + request.uri());
            };
          }

          @Override
          public Downloader downloader(TransferSettings settings) {
            return d;
          }
        });
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<DistroCatalog> distroCatalogs() {
    return List.copyOf(catalogs);
  }

  @Override
  public List<DiskConverter> diskConverters() {
    return List.copyOf(converters);
  }

  @Override
  public List<KernelExtractor> kernelExtractors() {
    return List.copyOf(extractors);
  }

  @Override
  public List<TransferProvider> transferProviders() {
    return List.copyOf(transfers);
  }

}
