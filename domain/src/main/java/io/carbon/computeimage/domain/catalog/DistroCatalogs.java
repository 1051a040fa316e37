package io.carbon.computeimage.domain.catalog;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.error.NotFoundException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The distro catalogs in use, found by name or alias.
 *
 * <p>Immutable and thread-safe. Construction rejects two catalogs claiming the same name or alias.
 *
 * @since 0.1
 */
public final class DistroCatalogs {
  private final List<DistroCatalog> catalogs;
  private final Map<String, DistroCatalog> byName;

  private DistroCatalogs(List<DistroCatalog> catalogs, Map<String, DistroCatalog> byName) {
    this.catalogs = catalogs;
    this.byName = byName;
  }

  /**
   * Indexes the catalogs by name and alias.
   *
   * @param catalogs the catalogs
   * @return the index
   * @throws IllegalArgumentException when two catalogs claim the same name or alias; the message
   *     names both
   */
  public static DistroCatalogs of(List<DistroCatalog> catalogs) {
    Map<String, DistroCatalog> byName = new LinkedHashMap<>();
    for (DistroCatalog c : catalogs) {
      List<String> keys = new ArrayList<>();
      keys.add(c.name());
      keys.addAll(c.aliases());
      for (String k : keys) {
        String key = k.toLowerCase(Locale.ROOT);
        DistroCatalog prev = byName.putIfAbsent(key, c);
        if (prev != null && prev != c) {
          throw new IllegalArgumentException(
              "two distro catalogs claim the name '"
                  + key
                  + "': "
                  + describe(prev)
                  + " and "
                  + describe(c));
        }
      }
    }
    return new DistroCatalogs(List.copyOf(catalogs), Collections.unmodifiableMap(byName));
  }

  private static String describe(DistroCatalog c) {
    return c.name() + " (" + c.getClass().getName() + ")";
  }

  /** @return every catalog, in registration order */
  public List<DistroCatalog> all() {
    return catalogs;
  }

  /**
   * Finds a catalog by name or alias.
   *
   * @param name the name, any case
   * @return the catalog, or empty
   */
  public Optional<DistroCatalog> find(String name) {
    return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * Finds a catalog or fails with the list of known distros.
   *
   * @param name the name, any case
   * @return the catalog
   * @throws NotFoundException when no catalog has that name or alias
   */
  public DistroCatalog require(String name) throws NotFoundException {
    Optional<DistroCatalog> c = find(name);
    if (c.isPresent()) {
      return c.get();
    }
    if (catalogs.isEmpty()) {
      throw new NotFoundException(
          "unknown distro '" + name + "': no distro catalog plugin is loaded (is adapters-distro on"
              + " the class path?)");
    }
    throw new NotFoundException(
        "unknown distro '" + name + "': known distros are " + String.join(", ", names()));
  }

  /** @return the catalog names, sorted */
  public List<String> names() {
    return catalogs.stream().map(DistroCatalog::name).sorted().toList();
  }
}
