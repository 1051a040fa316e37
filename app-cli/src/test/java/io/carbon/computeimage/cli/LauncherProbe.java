package io.carbon.computeimage.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for image-cli's jar in {@link LauncherScriptTest}: reports what the launcher gave the
 * JVM (options, locale, arguments) and whether a non-ASCII file name survives a create and list.
 */
public final class LauncherProbe {
  static final String NAME = "gr\u00f6\u00dfe-\u540d\u524d-\u00e9t\u00e9.txt";

  private LauncherProbe() {}

  /**
   * Prints {@code key=value} lines.
   *
   * @param args the directory to create the file in, then the arguments to echo
   * @throws Exception never on purpose
   */
  public static void main(String[] args) throws Exception {
    List<String> gcs = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs.add(gc.getName());
    }
    System.out.println("jvmArgs=" + ManagementFactory.getRuntimeMXBean().getInputArguments());
    System.out.println("gcs=" + gcs);
    System.out.println("jnu=" + System.getProperty("sun.jnu.encoding"));
    System.out.println("LC_ALL=" + System.getenv("LC_ALL"));
    System.out.println("args=" + List.of(args).subList(1, args.length));
    String roundTrip;
    try {
      Path dir = Path.of(args[0]);
      if (!Files.isDirectory(dir)) {
        System.out.println("roundTrip=no directory given");
        return;
      }
      Files.writeString(dir.resolve(NAME), "x");
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        ds.forEach(p -> names.add(p.getFileName().toString()));
      }
      roundTrip = names.contains(NAME) ? "ok" : "listed as " + names;
    } catch (RuntimeException e) {
      roundTrip = "failed: " + e;
    }
    System.out.println("roundTrip=" + roundTrip);
  }
}
