package io.carbon.computeimage.adapter.convert.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The distro naming of kernels and initrds, and the versions in those names. */
public final class KernelNames {
  private static final String[] KERNEL_PREFIXES = {"vmlinuz-", "Image-", "vmlinux-"};

  private KernelNames() {}

  /**
   * Returns the version in a kernel file name: {@code vmlinuz-6.8.0-45-generic} gives {@code
   * 6.8.0-45-generic}, {@code vmlinuz-virt} gives {@code virt}, {@code vmlinuz-linux} gives {@code
   * linux}, {@code Image-6.4.0-default} gives {@code 6.4.0-default}.
   *
   * @param fileName a file name (no directory)
   * @return the version, or empty when the name is not a kernel's (or is a rescue or fallback)
   */
  public static Optional<String> kernelVersion(String fileName) {
    for (String p : KERNEL_PREFIXES) {
      if (fileName.startsWith(p) && fileName.length() > p.length()) {
        String v = fileName.substring(p.length());
        if (isExcluded(v) || v.endsWith(".hmac") || v.endsWith(".sig") || v.endsWith(".old")
            || v.endsWith(".bak")) {
          return Optional.empty();
        }
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  /**
   * Tells whether a kernel version or initrd name belongs to a rescue, recovery, fallback or kdump
   * image, which is never chosen.
   *
   * @param nameOrVersion a file name, a version or a menu title
   * @return true when excluded
   */
  public static boolean isExcluded(String nameOrVersion) {
    String n = nameOrVersion.toLowerCase(Locale.ROOT);
    return n.contains("rescue") || n.contains("fallback") || n.contains("recovery")
        || n.contains("kdump");
  }

  /**
   * Returns the initrd file names that belong to a kernel version, most likely first.
   *
   * @param version the kernel version as returned by {@link #kernelVersion}
   * @return the candidate names
   */
  public static List<String> initrdNames(String version) {
    List<String> names = new ArrayList<>();
    names.add("initrd.img-" + version);
    names.add("initramfs-" + version + ".img");
    names.add("initrd-" + version);
    names.add("initramfs-" + version);
    names.add("initrd-" + version + ".img");
    return names;
  }

  /**
   * Returns the version an initrd name belongs to.
   *
   * @param fileName an initrd file name
   * @return the version, or empty when the name is not an initrd's
   */
  public static Optional<String> initrdVersion(String fileName) {
    String n = fileName;
    if (isExcluded(n)) {
      return Optional.empty();
    }
    String[][] forms = {{"initrd.img-", ""}, {"initramfs-", ".img"}, {"initrd-", ".img"},
        {"initramfs-", ""}, {"initrd-", ""}};
    for (String[] f : forms) {
      if (n.startsWith(f[0]) && n.endsWith(f[1]) && n.length() > f[0].length() + f[1].length()) {
        return Optional.of(n.substring(f[0].length(), n.length() - f[1].length()));
      }
    }
    return Optional.empty();
  }
}
