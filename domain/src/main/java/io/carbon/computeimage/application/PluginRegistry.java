package io.carbon.computeimage.application;

import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.domain.image.Describe;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.image.ImageSourceProvider;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.spi.Capability;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.store.LayerStore;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The plugins in use and, per port, the implementation to use on this host.
 *
 * <p>Plugins are found with {@link ServiceLoader} as {@link ComputeImagePlugin} in the given class
 * loader and in plugin directories. A plugin directory holds jars directly or in sub-directories
 * (one sub-directory per plugin, as {@code plugins/<name>/*.jar}); each directory with jars gets
 * its own {@link URLClassLoader} whose parent is the base class loader. For each port the
 * supported implementation with the highest {@code priority()} wins (ties: first loaded). Two
 * distro catalogs claiming the same name or alias are rejected. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class PluginRegistry {
  private final List<ComputeImagePlugin> plugins;
  private final HostInfo host;
  private final DistroCatalogs catalogs;

  private PluginRegistry(List<ComputeImagePlugin> plugins, HostInfo host) throws PluginLoadException {
    this.plugins = List.copyOf(plugins);
    this.host = Objects.requireNonNull(host, "host is null");
    List<DistroCatalog> all = new ArrayList<>();
    for (ComputeImagePlugin p : this.plugins) {
      for (DistroCatalog c : p.distroCatalogs()) {
        if (c.isSupported(host)) {
          all.add(c);
        }
      }
    }
    try {
      this.catalogs = DistroCatalogs.of(all);
    } catch (IllegalArgumentException e) {
      throw new PluginLoadException(e.getMessage(), e);
    }
  }

  /**
   * Creates a registry from plugin instances (for tests and embedding).
   *
   * @param plugins the plugins
   * @param host the host, for {@code isSupported}
   * @return the registry
   * @throws PluginLoadException when two catalogs claim the same name or alias
   */
  public static PluginRegistry of(List<ComputeImagePlugin> plugins, HostInfo host)
      throws PluginLoadException {
    return new PluginRegistry(plugins, host);
  }

  /**
   * Loads plugins from a class loader and plugin directories.
   *
   * @param classLoader the base class loader (normally the context class loader)
   * @param pluginDirs directories of plugin jars; each must exist and yield at least one plugin
   * @param host the host, for {@code isSupported}
   * @return the registry
   * @throws PluginLoadException when a directory is missing or holds no plugin, a plugin fails to
   *     load, or two catalogs claim the same name or alias
   */
  public static PluginRegistry load(ClassLoader classLoader, List<Path> pluginDirs, HostInfo host)
      throws PluginLoadException {
    List<ComputeImagePlugin> found = new ArrayList<>(loadFrom(classLoader, l -> true, "the class path"));
    for (Path dir : pluginDirs) {
      found.addAll(loadDirectory(dir, classLoader));
    }
    return new PluginRegistry(found, host);
  }

  private static List<ComputeImagePlugin> loadDirectory(Path dir, ClassLoader parent)
      throws PluginLoadException {
    try {
      if (!Files.readAttributes(dir, BasicFileAttributes.class).isDirectory()) {
        throw new PluginLoadException("plugin directory " + dir + " is not a directory");
      }
    } catch (NoSuchFileException e) {
      throw new PluginLoadException("plugin directory " + dir + " does not exist", e);
    } catch (IOException e) {
      throw new PluginLoadException(
          "cannot read plugin directory " + dir + ": " + Describe.cause(e, dir), e);
    }
    List<List<Path>> groups = new ArrayList<>();
    try {
      List<Path> direct = jarsIn(dir);
      if (!direct.isEmpty()) {
        groups.add(direct);
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path sub : s.filter(Files::isDirectory).sorted().toList()) {
          List<Path> jars = jarsIn(sub);
          if (!jars.isEmpty()) {
            groups.add(jars);
          }
        }
      }
    } catch (IOException e) {
      throw new PluginLoadException(
          "cannot read plugin directory " + dir + ": " + Describe.cause(e, dir), e);
    }
    if (groups.isEmpty()) {
      throw new PluginLoadException("plugin directory " + dir + " holds no .jar files");
    }
    List<ComputeImagePlugin> out = new ArrayList<>();
    for (List<Path> jars : groups) {
      URL[] urls = new URL[jars.size()];
      for (int i = 0; i < urls.length; i++) {
        try {
          urls[i] = jars.get(i).toUri().toURL();
        } catch (MalformedURLException e) {
          throw new PluginLoadException("bad plugin jar path " + jars.get(i) + ": " + Describe.cause(e), e);
        }
      }
      URLClassLoader loader = new URLClassLoader("plugins:" + jars.get(0).getParent(), urls, parent);
      List<ComputeImagePlugin> loaded =
          loadFrom(loader, type -> type.getClassLoader() == loader, jars.toString());
      if (loaded.isEmpty()) {
        throw new PluginLoadException(
            "no compute-image plugin in "
                + jars
                + ": a plugin jar lists its class in META-INF/services/"
                + ComputeImagePlugin.class.getName());
      }
      out.addAll(loaded);
    }
    return out;
  }

  private static List<Path> jarsIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
          .sorted()
          .toList();
    }
  }

  private static List<ComputeImagePlugin> loadFrom(
      ClassLoader loader, Predicate<Class<?>> accept, String where) throws PluginLoadException {
    List<ComputeImagePlugin> out = new ArrayList<>();
    try {
      for (ServiceLoader.Provider<ComputeImagePlugin> p :
          ServiceLoader.load(ComputeImagePlugin.class, loader).stream().toList()) {
        if (accept.test(p.type())) {
          out.add(p.get());
        }
      }
    } catch (ServiceConfigurationError | LinkageError e) {
      throw new PluginLoadException("cannot load plugins from " + where + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** @return the loaded plugins */
  public List<ComputeImagePlugin> plugins() {
    return plugins;
  }

  /** @return the host the selection is made for */
  public HostInfo host() {
    return host;
  }

  /** @return every distro catalog, indexed by name and alias */
  public DistroCatalogs catalogs() {
    return catalogs;
  }

  /** @return the transfer provider to use */
  public Optional<TransferProvider> transferProvider() {
    return best(ComputeImagePlugin::transferProviders, t -> true);
  }

  /**
   * Returns the converter to use for a conversion.
   *
   * @param from the source format
   * @param to the target format
   * @return the best supported converter that reads {@code from} and writes {@code to}
   */
  public Optional<DiskConverter> diskConverter(DiskFormat from, DiskFormat to) {
    return best(
        ComputeImagePlugin::diskConverters,
        c -> c.readableFormats().contains(from) && c.writableFormats().contains(to));
  }

  /** @return the kernel extractor to use */
  public Optional<KernelExtractor> kernelExtractor() {
    return best(ComputeImagePlugin::kernelExtractors, k -> true);
  }

  /** @return the layer store to use */
  public Optional<LayerStore> layerStore() {
    return best(ComputeImagePlugin::layerStores, s -> true);
  }

  /** @return the container image source provider to use */
  public Optional<ImageSourceProvider> imageSource() {
    return best(ComputeImagePlugin::imageSources, s -> true);
  }

  private <T extends Capability> Optional<T> best(
      Function<ComputeImagePlugin, List<T>> get, Predicate<T> fits) {
    T best = null;
    for (ComputeImagePlugin p : plugins) {
      for (T c : get.apply(p)) {
        if (c.isSupported(host) && fits.test(c) && (best == null || c.priority() > best.priority())) {
          best = c;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Describes the plugins and what they contribute, for diagnostics.
   *
   * @return one line per plugin
   */
  public List<String> describe() {
    return plugins.stream()
        .sorted(Comparator.comparing(ComputeImagePlugin::name))
        .map(
            p ->
                p.name()
                    + " ("
                    + p.getClass().getName()
                    + "): "
                    + p.distroCatalogs().size()
                    + " catalogs, "
                    + p.diskConverters().size()
                    + " converters, "
                    + p.kernelExtractors().size()
                    + " kernel extractors, "
                    + p.transferProviders().size()
                    + " transfer, "
                    + p.layerStores().size()
                    + " layer stores, "
                    + p.imageSources().size()
                    + " image sources")
        .toList();
  }
}
