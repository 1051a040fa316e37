package io.carbon.computeimage.adapter.convert.kernel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the default kernel of one boot directory as the distro would boot it: BLS entries (with
 * grubenv {@code saved_entry} and {@code $kernelopts}), else grub.cfg's default entry, else
 * extlinux.conf, else the distro symlinks ({@code /vmlinuz}, {@code /boot/vmlinuz}), else the
 * newest version. Rescue and fallback images are never chosen, and the initrd always belongs to
 * the chosen kernel's version.
 */
public final class BootSelector {
  private BootSelector() {}

  /**
   * Chooses.
   *
   * @param boot the filesystem holding the boot directory
   * @param bootDir "" when the filesystem is a separate /boot, else {@code /boot}
   * @param root the root filesystem (for {@code /vmlinuz} symlinks); may be {@code boot}
   * @return the choice, or empty when no kernel with a matching initrd is there
   * @throws IOException on I/O failure or malformed structures
   */
  public static Optional<BootChoice> choose(BootView boot, String bootDir, BootView root)
      throws IOException {
    Map<String, String> env = grubenv(boot, bootDir);
    Optional<BootChoice> c = fromBls(boot, bootDir, env);
    if (c.isEmpty()) {
      c = fromGrub(boot, bootDir, env);
    }
    if (c.isEmpty()) {
      c = fromExtlinux(boot, bootDir);
    }
    if (c.isEmpty()) {
      c = fromSymlinks(boot, bootDir, root);
    }
    if (c.isEmpty()) {
      c = newest(boot, bootDir);
    }
    return c;
  }

  private static Map<String, String> grubenv(BootView v, String bootDir) throws IOException {
    for (String p : List.of(bootDir + "/grub2/grubenv", bootDir + "/grub/grubenv")) {
      Optional<String> t = v.readText(p);
      if (t.isPresent()) {
        return GrubEnv.parse(t.get());
      }
    }
    return Map.of();
  }

  private static Optional<BootChoice> fromBls(BootView v, String bootDir, Map<String, String> env)
      throws IOException {
    String dir = bootDir + "/loader/entries";
    List<BootEntry> entries = new ArrayList<>();
    List<String> names = new ArrayList<>(v.list(dir));
    Collections.sort(names);
    for (String name : names) {
      if (!name.endsWith(".conf")) {
        continue;
      }
      Optional<String> t = v.readText(dir + "/" + name);
      if (t.isPresent()) {
        entries.add(BlsEntries.parse(name.substring(0, name.length() - 5), t.get()));
      }
    }
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    List<BootEntry> remaining = new ArrayList<>(entries);
    while (true) {
      Optional<BootEntry> e = BlsEntries.chooseDefault(remaining, env);
      if (e.isEmpty()) {
        return Optional.empty();
      }
      String why = env.getOrDefault("saved_entry", "").equals(e.get().id())
          ? " (grubenv saved_entry)" : " (newest version)";
      Optional<BootChoice> c = resolve(v, bootDir, e.get(), GrubEnv.expand(e.get().options(), env),
          "BLS entry " + dir + "/" + e.get().id() + ".conf" + why);
      if (c.isPresent()) {
        return c;
      }
      remaining.remove(e.get());
    }
  }

  private static Optional<BootChoice> fromGrub(BootView v, String bootDir, Map<String, String> env)
      throws IOException {
    for (String p : List.of(bootDir + "/grub/grub.cfg", bootDir + "/grub2/grub.cfg")) {
      Optional<String> t = v.readText(p);
      if (t.isEmpty()) {
        continue;
      }
      GrubConfig g = GrubConfig.parse(t.get());
      Optional<BootEntry> e = g.chooseDefault(env);
      if (e.isPresent()) {
        Optional<BootChoice> c = resolve(v, bootDir, e.get(), e.get().options(),
            "grub.cfg " + p + " entry '" + e.get().title() + "'");
        if (c.isPresent()) {
          return c;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<BootChoice> fromExtlinux(BootView v, String bootDir) throws IOException {
    for (String p : List.of(bootDir + "/extlinux.conf", bootDir + "/extlinux/extlinux.conf",
        bootDir + "/syslinux/syslinux.cfg", bootDir + "/syslinux.cfg")) {
      Optional<String> t = v.readText(p);
      if (t.isEmpty()) {
        continue;
      }
      Optional<BootEntry> e = ExtlinuxConfig.chooseDefault(t.get());
      if (e.isPresent()) {
        String configDir = p.substring(0, p.lastIndexOf('/'));
        BootEntry entry = e.get();
        if (!entry.kernel().startsWith("/")) {
          entry = new BootEntry(entry.title(), configDir + "/" + entry.kernel(),
              entry.initrd().isEmpty() || entry.initrd().startsWith("/") ? entry.initrd()
                  : configDir + "/" + entry.initrd(), entry.options(), "", entry.id());
        }
        Optional<BootChoice> c = resolve(v, bootDir, entry, entry.options(),
            "extlinux " + p + " label '" + entry.title() + "'");
        if (c.isPresent()) {
          return c;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<BootChoice> fromSymlinks(BootView boot, String bootDir, BootView root)
      throws IOException {
    List<Object[]> links = new ArrayList<>();
    links.add(new Object[] {root, "/vmlinuz"});
    links.add(new Object[] {boot, bootDir + "/vmlinuz"});
    for (Object[] l : links) {
      BootView v = (BootView) l[0];
      String path = (String) l[1];
      Optional<String> target = v.readLink(path);
      if (target.isEmpty()) {
        continue;
      }
      String base = basename(target.get());
      Optional<String> version = KernelNames.kernelVersion(base);
      if (version.isEmpty()) {
        continue;
      }
      String kernel = bootDir + "/" + base;
      if (!boot.isFile(kernel)) {
        continue;
      }
      Optional<String> initrd = matchingInitrd(boot, bootDir, version.get());
      if (initrd.isPresent()) {
        return Optional.of(new BootChoice(kernel, initrd.get(), version.get(), "",
            "symlink " + path + " -> " + target.get()));
      }
    }
    return Optional.empty();
  }

  private static Optional<BootChoice> newest(BootView v, String bootDir) throws IOException {
    List<String[]> kernels = new ArrayList<>();
    for (String name : v.list(bootDir.isEmpty() ? "/" : bootDir)) {
      Optional<String> ver = KernelNames.kernelVersion(name);
      if (ver.isPresent()) {
        kernels.add(new String[] {name, ver.get()});
      }
    }
    kernels.sort((a, b) -> VersionOrder.INSTANCE.compare(b[1], a[1]));
    for (String[] k : kernels) {
      String kernel = bootDir + "/" + k[0];
      if (!v.isFile(kernel)) {
        continue;
      }
      Optional<String> initrd = matchingInitrd(v, bootDir, k[1]);
      if (initrd.isPresent()) {
        return Optional.of(new BootChoice(kernel, initrd.get(), k[1], "",
            "newest installed kernel"));
      }
    }
    return Optional.empty();
  }

  /** Maps an entry's paths into the filesystem and pairs the kernel with its own initrd. */
  private static Optional<BootChoice> resolve(BootView v, String bootDir, BootEntry e,
      String options, String source) throws IOException {
    Optional<String> kernel = locate(v, bootDir, e.kernel());
    if (kernel.isEmpty()) {
      return Optional.empty();
    }
    String base = basename(kernel.get());
    String version = KernelNames.kernelVersion(base).orElse(e.version());
    if (KernelNames.isExcluded(base)) {
      return Optional.empty();
    }
    Optional<String> initrd = Optional.empty();
    if (!e.initrd().isEmpty()) {
      Optional<String> named = locate(v, bootDir, e.initrd());
      if (named.isPresent()) {
        Optional<String> iv = KernelNames.initrdVersion(basename(named.get()));
        if (iv.isEmpty() && !KernelNames.isExcluded(basename(named.get()))
            || iv.isPresent() && iv.get().equals(version)) {
          initrd = named;
        }
      }
    }
    if (initrd.isEmpty()) {
      String dir = kernel.get().substring(0, kernel.get().lastIndexOf('/'));
      initrd = matchingInitrd(v, dir, version);
    }
    if (initrd.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new BootChoice(kernel.get(), initrd.get(), version, options, source));
  }

  private static Optional<String> locate(BootView v, String bootDir, String written)
      throws IOException {
    String p = written.trim();
    while (p.startsWith("$")) { // "${btrfs_subvol}/boot/..." after expansion leaves "/boot/..."
      int slash = p.indexOf('/');
      p = slash < 0 ? "" : p.substring(slash);
    }
    if (p.isEmpty()) {
      return Optional.empty();
    }
    if (!p.startsWith("/")) {
      p = "/" + p;
    }
    List<String> candidates = new ArrayList<>();
    candidates.add(p);
    if (!bootDir.isEmpty() && !p.startsWith(bootDir + "/")) {
      candidates.add(bootDir + p);
    }
    if (bootDir.isEmpty() && p.startsWith("/boot/")) {
      candidates.add(p.substring(5));
    }
    candidates.add(bootDir + "/" + basename(p));
    for (String c : candidates) {
      if (v.isFile(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> matchingInitrd(BootView v, String dir, String version)
      throws IOException {
    for (String name : KernelNames.initrdNames(version)) {
      String p = dir + "/" + name;
      if (v.isFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  private static String basename(String p) {
    return p.substring(p.lastIndexOf('/') + 1);
  }
}
