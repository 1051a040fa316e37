package io.carbon.computeimage.adapter.convert.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An {@code extlinux.conf}/{@code syslinux.cfg}: DEFAULT, LABEL, KERNEL/LINUX, INITRD, APPEND. */
public final class ExtlinuxConfig {
  private ExtlinuxConfig() {}

  /**
   * Parses the file and returns its default entry (the {@code DEFAULT} label, else the first
   * label); rescue entries are skipped.
   *
   * @param text the content
   * @return the entry, or empty when there is none
   */
  public static Optional<BootEntry> chooseDefault(String text) {
    String def = "";
    List<String[]> labels = new ArrayList<>(); // label, kernel, initrd, append
    String[] cur = null;
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] kv = line.split("\\s+", 2);
      String key = kv[0].toUpperCase(Locale.ROOT);
      String v = kv.length > 1 ? kv[1].trim() : "";
      switch (key) {
        case "DEFAULT":
          def = v;
          break;
        case "LABEL":
          cur = new String[] {v, "", "", ""};
          labels.add(cur);
          break;
        case "KERNEL":
        case "LINUX":
          if (cur != null) {
            cur[1] = v;
          }
          break;
        case "INITRD":
          if (cur != null) {
            cur[2] = v.split(",")[0].trim();
          }
          break;
        case "APPEND":
          if (cur != null) {
            cur[3] = v;
          }
          break;
        default:
          break;
      }
    }
    String[] chosen = null;
    for (String[] l : labels) {
      if (l[0].equals(def) && !l[1].isEmpty() && !KernelNames.isExcluded(l[0])) {
        chosen = l;
      }
    }
    if (chosen == null) {
      for (String[] l : labels) {
        if (!l[1].isEmpty() && !KernelNames.isExcluded(l[0]) && !KernelNames.isExcluded(l[1])) {
          chosen = l;
          break;
        }
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    String append = chosen[3];
    String initrd = chosen[2];
    // "APPEND initrd=/boot/initrd ..." is another way to name the initrd
    List<String> rest = new ArrayList<>();
    for (String tok : append.split("\\s+")) {
      if (tok.startsWith("initrd=") && initrd.isEmpty()) {
        initrd = tok.substring(7).split(",")[0];
      } else if (!tok.isEmpty() && !tok.startsWith("initrd=")) {
        rest.add(tok);
      }
    }
    return Optional.of(new BootEntry(chosen[0], chosen[1], initrd, String.join(" ", rest), "",
        chosen[0]));
  }
}
