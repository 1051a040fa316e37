package io.carbon.computeimage.adapter.convert.kernel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Boot Loader Specification type #1 entries ({@code loader/entries/*.conf}) and their default. */
public final class BlsEntries {
  private BlsEntries() {}

  /**
   * Parses one entry file.
   *
   * @param id the file name without {@code .conf}
   * @param text the content
   * @return the entry
   */
  public static BootEntry parse(String id, String text) {
    String title = "";
    String linux = "";
    String initrd = "";
    String version = "";
    StringBuilder options = new StringBuilder();
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("\\s+", 2);
      String v = kv.length > 1 ? kv[1].trim() : "";
      switch (kv[0]) {
        case "title":
          title = v;
          break;
        case "linux":
          linux = v;
          break;
        case "initrd":
          if (initrd.isEmpty()) {
            initrd = v.split("\\s+")[0];
          }
          break;
        case "version":
          version = v;
          break;
        case "options":
          options.append(options.length() > 0 ? " " : "").append(v);
          break;
        default:
          break;
      }
    }
    return new BootEntry(title, linux, initrd, options.toString(), version, id);
  }

  /**
   * Chooses the default entry as grub's blscfg does: the entry named by {@code saved_entry} (by
   * id, or by title), else the newest version. Rescue entries are never chosen.
   *
   * @param entries the entries
   * @param grubenv the grubenv variables (may be empty)
   * @return the chosen entry, or empty when none is usable
   */
  public static Optional<BootEntry> chooseDefault(List<BootEntry> entries, Map<String, String> grubenv) {
    List<BootEntry> usable = new ArrayList<>();
    for (BootEntry e : entries) {
      if (!e.kernel().isEmpty() && !isRescue(e)) {
        usable.add(e);
      }
    }
    String saved = grubenv.getOrDefault("saved_entry", "").trim();
    if (!saved.isEmpty()) {
      for (BootEntry e : usable) {
        if (e.id().equals(saved) || e.title().equals(saved)) {
          return Optional.of(e);
        }
      }
    }
    usable.sort(Comparator.comparing(BlsEntries::sortKey, VersionOrder.INSTANCE).reversed());
    return usable.stream().findFirst();
  }

  private static String sortKey(BootEntry e) {
    if (!e.version().isEmpty()) {
      return e.version();
    }
    String base = e.kernel().substring(e.kernel().lastIndexOf('/') + 1);
    return KernelNames.kernelVersion(base).orElse(e.id());
  }

  static boolean isRescue(BootEntry e) {
    String base = e.kernel().substring(e.kernel().lastIndexOf('/') + 1);
    return KernelNames.isExcluded(e.id()) || KernelNames.isExcluded(base)
        || KernelNames.isExcluded(e.version()) || e.title().toLowerCase().contains("rescue");
  }
}
