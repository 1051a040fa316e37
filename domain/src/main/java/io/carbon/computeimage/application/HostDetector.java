package io.carbon.computeimage.application;

import io.carbon.computeimage.ports.model.Arch;
import io.carbon.computeimage.ports.model.HostInfo;
import io.carbon.computeimage.ports.model.OsFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Detects the host (OS family, architecture, privileges) and its default root directory from
 * system properties and the environment. The only place besides the CLI that reads them.
 *
 * @since 0.1
 */
public final class HostDetector {
  private HostDetector() {}

  /** @return the current host */
  public static HostInfo detect() {
    OsFamily os = osFamily(System.getProperty("os.name", ""));
    return new HostInfo(os, arch(System.getProperty("os.arch", "")), privileged(os));
  }

  /**
   * Maps {@code os.name} to an OS family.
   *
   * @param osName the {@code os.name} value
   * @return the family
   */
  public static OsFamily osFamily(String osName) {
    String n = osName.toLowerCase(Locale.ROOT);
    if (n.startsWith("windows")) {
      return OsFamily.WINDOWS;
    }
    return n.startsWith("linux") ? OsFamily.LINUX : OsFamily.OTHER;
  }

  /**
   * Maps {@code os.arch} to an architecture.
   *
   * @param osArch the {@code os.arch} value
   * @return {@code ARM64} for aarch64/arm64, otherwise {@code AMD64}
   */
  public static Arch arch(String osArch) {
    String a = osArch.toLowerCase(Locale.ROOT);
    return a.equals("aarch64") || a.equals("arm64") ? Arch.ARM64 : Arch.AMD64;
  }

  private static boolean privileged(OsFamily os) {
    if (os != OsFamily.LINUX) {
      return false;
    }
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer && (Integer) uid == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** @return the platform default root directory for the current host */
  public static Path defaultRootDir() {
    return Path.of(
        defaultRootDir(
            osFamily(System.getProperty("os.name", "")), System.getenv(), System.getProperties()));
  }

  /**
   * Computes the default root directory: {@code $HOME/.local/share/carbon} on Linux (and other
   * Unix), {@code %LOCALAPPDATA%\carbon} on Windows.
   *
   * @param os the OS family
   * @param env the environment
   * @param props the system properties ({@code user.home} is the fallback for {@code HOME})
   * @return the directory, with the OS's separator
   */
  public static String defaultRootDir(OsFamily os, Map<String, String> env, Properties props) {
    String home = props.getProperty("user.home", "");
    if (os == OsFamily.WINDOWS) {
      String local = env.get("LOCALAPPDATA");
      if (local == null || local.isBlank()) {
        local = home + "\\AppData\\Local";
      }
      return stripTrailing(local, '\\') + "\\carbon";
    }
    String h = env.get("HOME");
    if (h == null || h.isBlank()) {
      h = home;
    }
    return stripTrailing(h, '/') + "/.local/share/carbon";
  }

  private static String stripTrailing(String s, char sep) {
    String r = s;
    while (r.length() > 1 && r.charAt(r.length() - 1) == sep) {
      r = r.substring(0, r.length() - 1);
    }
    return r;
  }

  /**
   * Returns the default plugin directory, {@code $XDG_CONFIG_HOME/compute-image/plugins} (or
   * {@code ~/.config/...}) on Unix, {@code %APPDATA%\compute-image\plugins} on Windows. It is used
   * only when it exists.
   *
   * @return the directory
   */
  public static Path defaultPluginDir() {
    OsFamily os = osFamily(System.getProperty("os.name", ""));
    if (os == OsFamily.WINDOWS) {
      String appData = System.getenv("APPDATA");
      Path base =
          appData == null
              ? Path.of(System.getProperty("user.home", "."), "AppData", "Roaming")
              : Path.of(appData);
      return base.resolve("compute-image").resolve("plugins");
    }
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base =
        xdg == null || xdg.isBlank()
            ? Path.of(System.getProperty("user.home", "."), ".config")
            : Path.of(xdg);
    return base.resolve("compute-image").resolve("plugins");
  }
}
