package io.carbon.computeimage.adapter.convert.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory {@link BootView}: files with text, and symlinks. */
final class MapBootView implements BootView {
  private final Map<String, String> files = new HashMap<>();
  private final Map<String, String> links = new HashMap<>();

  MapBootView file(String path, String text) {
    files.put(path, text);
    return this;
  }

  MapBootView files(String... paths) {
    for (String p : paths) {
      files.put(p, "");
    }
    return this;
  }

  MapBootView link(String path, String target) {
    links.put(path, target);
    return this;
  }

  private String follow(String path) {
    String p = path;
    for (int i = 0; i < 10 && links.containsKey(p); i++) {
      String t = links.get(p);
      p = t.startsWith("/") ? t : p.substring(0, p.lastIndexOf('/') + 1) + t;
    }
    return p;
  }

  @Override
  public Optional<String> readText(String path) {
    return Optional.ofNullable(files.get(follow(path)));
  }

  @Override
  public List<String> list(String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    List<String> out = new ArrayList<>();
    for (String p : files.keySet()) {
      add(out, prefix, p);
    }
    for (String p : links.keySet()) {
      add(out, prefix, p);
    }
    return out;
  }

  private static void add(List<String> out, String prefix, String p) {
    if (p.startsWith(prefix)) {
      String rest = p.substring(prefix.length());
      String name = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
      if (!out.contains(name)) {
        out.add(name);
      }
    }
  }

  @Override
  public Optional<String> readLink(String path) {
    return Optional.ofNullable(links.get(path));
  }

  @Override
  public boolean isFile(String path) {
    return files.containsKey(follow(path));
  }
}
