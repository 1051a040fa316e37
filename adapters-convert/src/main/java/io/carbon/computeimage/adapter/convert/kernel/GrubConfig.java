package io.carbon.computeimage.adapter.convert.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reading of {@code grub.cfg} good enough to find the default entry: top-level {@code set}
 * assignments, {@code menuentry} and {@code submenu} blocks with their {@code linux} and {@code
 * initrd} lines, and {@code set default=} (an index, an {@code a>b} path, a title or an id).
 */
public final class GrubConfig {
  private static final Pattern SET = Pattern.compile("^set\\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$");
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'|\"([^\"]*)\"");
  private static final int MAX_LINES = 200_000;

  /** A menu node: an entry, or a submenu with children. */
  private static final class Node {
    final String title;
    final String id;
    final List<Node> children = new ArrayList<>();
    final boolean submenu;
    String linux = "";
    String initrd = "";

    Node(String title, String id, boolean submenu) {
      this.title = title;
      this.id = id;
      this.submenu = submenu;
    }
  }

  private final List<Node> top = new ArrayList<>();
  private final Map<String, String> vars = new HashMap<>();
  private final List<String> defaults = new ArrayList<>();

  private GrubConfig() {}

  /**
   * Parses grub.cfg text.
   *
   * @param text the content
   * @return the parsed configuration
   */
  public static GrubConfig parse(String text) {
    GrubConfig c = new GrubConfig();
    List<Node> stack = new ArrayList<>();
    int braces = 0; // non-menu blocks inside menu bodies are not tracked as nodes
    List<Integer> menuDepths = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int ln = 0; ln < lines.length && ln < MAX_LINES; ln++) {
      String line = lines[ln].trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean isMenu = line.startsWith("menuentry ") || line.startsWith("submenu ");
      if (isMenu && line.endsWith("{")) {
        Matcher q = QUOTED.matcher(line);
        String title = q.find() ? (q.group(1) != null ? q.group(1) : q.group(2)) : "";
        String id = "";
        Matcher idm = Pattern.compile("\\$menuentry_id_option\\s+'([^']*)'|--id[= ]'?([^'\\s]+)'?")
            .matcher(line);
        if (idm.find()) {
          id = idm.group(1) != null ? idm.group(1) : idm.group(2);
        }
        Node n = new Node(title, id, line.startsWith("submenu "));
        if (stack.isEmpty()) {
          c.top.add(n);
        } else {
          stack.get(stack.size() - 1).children.add(n);
        }
        stack.add(n);
        braces++;
        menuDepths.add(braces);
        continue;
      }
      if (line.equals("}") || line.startsWith("}")) {
        if (!menuDepths.isEmpty() && menuDepths.get(menuDepths.size() - 1) == braces) {
          menuDepths.remove(menuDepths.size() - 1);
          stack.remove(stack.size() - 1);
        }
        braces = Math.max(0, braces - 1);
        continue;
      }
      if (line.endsWith("{") || line.startsWith("if ") && !line.endsWith("fi")) {
        if (line.endsWith("{")) {
          braces++;
        }
      }
      if (!stack.isEmpty()) {
        Node n = stack.get(stack.size() - 1);
        String[] t = line.split("\\s+", 2);
        if (t[0].equals("linux") || t[0].equals("linuxefi") || t[0].equals("linux16")) {
          n.linux = t.length > 1 ? t[1] : "";
        } else if (t[0].equals("initrd") || t[0].equals("initrdefi") || t[0].equals("initrd16")) {
          String[] files = t.length > 1 ? t[1].trim().split("\\s+") : new String[0];
          n.initrd = files.length > 0 ? files[files.length - 1] : "";
        }
        continue;
      }
      Matcher m = SET.matcher(line);
      if (m.matches()) {
        String value = unquote(m.group(2).trim());
        if (m.group(1).equals("default")) {
          c.defaults.add(value);
        } else {
          c.vars.putIfAbsent(m.group(1), value);
        }
      }
    }
    return c;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  /** @return true when the file has at least one menu entry with a {@code linux} line */
  public boolean hasEntries() {
    return count(top) > 0;
  }

  private static int count(List<Node> nodes) {
    int n = 0;
    for (Node x : nodes) {
      n += x.submenu ? count(x.children) : (x.linux.isEmpty() ? 0 : 1);
    }
    return n;
  }

  /**
   * Chooses the default entry.
   *
   * @param grubenv the grubenv variables, for {@code set default="${saved_entry}"}
   * @return the entry, or empty when the file has no usable entry
   */
  public Optional<BootEntry> chooseDefault(Map<String, String> grubenv) {
    String def = null;
    for (String d : defaults) {
      if (!d.contains("$")) {
        def = d;
        break;
      }
    }
    if (def == null) {
      for (String d : defaults) {
        String v = GrubEnv.expand(d, grubenv);
        if (!v.isEmpty()) {
          def = v;
          break;
        }
      }
    }
    Node chosen = def == null ? null : find(def);
    if (chosen == null || isRescue(chosen)) {
      chosen = firstUsable(top);
    }
    if (chosen == null) {
      return Optional.empty();
    }
    Map<String, String> all = new HashMap<>(vars);
    grubenv.forEach(all::putIfAbsent);
    String[] parts = chosen.linux.trim().split("\\s+", 2);
    String kernel = stripDevice(GrubEnv.expand(parts[0], all));
    String options = parts.length > 1 ? GrubEnv.expand(parts[1], all) : "";
    String initrd = chosen.initrd.isEmpty() ? "" : stripDevice(GrubEnv.expand(chosen.initrd, all));
    return Optional.of(new BootEntry(chosen.title, kernel, initrd, options, "", chosen.id));
  }

  private Node find(String def) {
    String[] path = def.split(">");
    List<Node> level = top;
    Node cur = null;
    for (String p : path) {
      cur = null;
      String key = p.trim();
      if (key.matches("\\d+")) {
        int idx = Integer.parseInt(key);
        if (idx < level.size()) {
          cur = level.get(idx);
        }
      } else {
        cur = byName(level, key);
      }
      if (cur == null) {
        return null;
      }
      level = cur.children;
    }
    if (cur != null && cur.submenu) {
      return firstUsable(cur.children);
    }
    return cur;
  }

  private static Node byName(List<Node> nodes, String key) {
    for (Node n : nodes) {
      if (n.title.equals(key) || n.id.equals(key)) {
        return n;
      }
      if (n.submenu) {
        Node c = byName(n.children, key);
        if (c != null) {
          return c;
        }
      }
    }
    return null;
  }

  private static Node firstUsable(List<Node> nodes) {
    for (Node n : nodes) {
      if (n.submenu) {
        Node c = firstUsable(n.children);
        if (c != null) {
          return c;
        }
      } else if (!n.linux.isEmpty() && !isRescue(n)) {
        return n;
      }
    }
    return null;
  }

  private static boolean isRescue(Node n) {
    String kernel = n.linux.trim().split("\\s+")[0];
    String base = kernel.substring(kernel.lastIndexOf('/') + 1);
    return n.linux.isEmpty() || KernelNames.isExcluded(n.title) || KernelNames.isExcluded(base)
        || n.linux.contains(" single") || n.linux.endsWith(" 1");
  }

  /** Drops a leading {@code (hd0,gpt2)} or {@code ($root)} device. */
  private static String stripDevice(String path) {
    String p = path.trim();
    if (p.startsWith("(")) {
      int close = p.indexOf(')');
      if (close > 0) {
        p = p.substring(close + 1);
      }
    }
    return p;
  }
}
