package io.carbon.computeimage.bench.demo;

import io.carbon.computeimage.application.HostDetector;
import io.carbon.computeimage.application.PluginRegistry;
import io.carbon.computeimage.domain.catalog.DistroCatalogs;
import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.testkit.demo.DemoMirror;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code DemoMirrorMain [--cache DIR] [--images-dir DIR] [--build-only] [PORT] [NAME:VERSION...]}:
 * builds the offline demo mirror ({@link DemoMirror}; default {@code ubuntu:24.04 debian:12},
 * amd64), serves it on {@code 127.0.0.1:PORT} (default 8080) with directory listings until the
 * process is stopped (Ctrl-C), and prints the {@code image-cli pull} and {@code qemu} commands to
 * try. Run by {@code scripts/demo-mirror.sh}.
 *
 * @since 0.1
 */
public final class DemoMirrorMain {
  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /** The default {@code --dir} of the printed pull commands. */
  public static final String DEFAULT_IMAGES_DIR = "/tmp/demo-images";

  /**
   * Parsed arguments.
   *
   * @param cache the cache directory
   * @param imagesDir the {@code --dir} the printed commands use
   * @param buildOnly build the tree and exit, without serving
   * @param port the port
   * @param references the images, as typed
   */
  record Options(Path cache, String imagesDir, boolean buildOnly, int port, List<String> references) {}

  private DemoMirrorMain() {}

  /**
   * Runs the demo mirror.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) {
    Options o;
    List<DemoMirror.Request> requests;
    try {
      o = parse(args);
      requests = requests(o.references(), catalogs());
    } catch (IllegalArgumentException e) {
      System.err.println("demo-mirror: " + e.getMessage());
      System.err.println("usage: scripts/demo-mirror.sh [PORT] [NAME:VERSION...]   (default: 8080 "
          + String.join(" ", DemoMirror.DEFAULT_IMAGES) + ")");
      System.exit(2);
      return;
    }
    URI base = URI.create("http://127.0.0.1:" + o.port() + "/");
    List<DemoMirror.Published> published;
    try {
      System.err.println("demo-mirror: preparing " + String.join(", ", o.references())
          + " in " + o.cache() + " (disks are built once, as root, and then reused)");
      published = DemoMirror.build(o.cache(), requests, base);
    } catch (IOException | RuntimeException e) {
      System.err.println("demo-mirror: building the demo images failed: " + e.getMessage());
      System.err.println("demo-mirror: the first run needs root (loop mounts), the disk tools"
          + " (bash scripts/install-test-deps.sh) and Debian's package lists (apt-get download)");
      System.exit(1);
      return;
    }
    if (o.buildOnly()) {
      System.out.println("demo-mirror: tree ready in " + DemoMirror.mirrorRoot(o.cache(), o.port()));
      return;
    }
    TestHttpServer server;
    try {
      server = TestHttpServer.serving(DemoMirror.mirrorRoot(o.cache(), o.port()), o.port());
    } catch (UncheckedIOException e) {
      System.err.println("demo-mirror: cannot listen on 127.0.0.1:" + o.port() + " ("
          + e.getCause().getMessage() + "); pass another port: scripts/demo-mirror.sh 8081");
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "demo-mirror-stop"));
    System.out.print(instructions(o.port(), DemoMirror.mirrorRoot(o.cache(), o.port()), o.imagesDir(), published));
    System.out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Options parse(String[] args) {
    Path cache = DemoMirror.DEFAULT_CACHE;
    String imagesDir = DEFAULT_IMAGES_DIR;
    boolean buildOnly = false;
    int port = DEFAULT_PORT;
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--cache") || a.equals("--images-dir")) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        if (a.equals("--cache")) {
          cache = Path.of(args[++i]);
        } else {
          imagesDir = args[++i];
        }
      } else if (a.equals("--build-only")) {
        buildOnly = true;
      } else if (a.matches("\\d+") && refs.isEmpty() && i == firstPositional(args)) {
        port = Integer.parseInt(a);
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("port must be 1 to 65535: " + a);
        }
      } else if (a.startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + a);
      } else {
        refs.add(a);
      }
    }
    return new Options(cache, imagesDir, buildOnly, port,
        refs.isEmpty() ? DemoMirror.DEFAULT_IMAGES : List.copyOf(refs));
  }

  private static int firstPositional(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--cache") || args[i].equals("--images-dir")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  static DistroCatalogs catalogs() {
    try {
      return PluginRegistry.load(DemoMirrorMain.class.getClassLoader(), List.of(),
          HostDetector.detect()).catalogs();
    } catch (ComputeImageException e) {
      throw new IllegalStateException("cannot load the distro catalogs: " + e.getMessage(), e);
    }
  }

  static List<DemoMirror.Request> requests(List<String> references, DistroCatalogs catalogs) {
    List<DemoMirror.Request> out = new ArrayList<>();
    for (String ref : references) {
      String name = ref.contains(":") ? ref.substring(0, ref.indexOf(':')) : ref;
      DistroCatalog catalog;
      try {
        catalog = catalogs.require(name);
      } catch (ComputeImageException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      out.add(DemoMirror.request(ref, catalog));
    }
    return out;
  }

  /**
   * The text printed once the mirror serves: the images, then the commands to try.
   *
   * @param port the port
   * @param tree the served directory
   * @param imagesDir the {@code --dir} of the pull commands
   * @param published what the tree holds
   * @return the text
   */
  static String instructions(int port, Path tree, String imagesDir, List<DemoMirror.Published> published) {
    String registry = "http://127.0.0.1:" + port;
    StringBuilder b = new StringBuilder();
    b.append("Demo mirror on ").append(registry).append("/ (serving ").append(tree)
        .append("; stop it with Ctrl-C)\n");
    for (DemoMirror.Published p : published) {
      b.append("  ").append(p.request().reference()).append("  ").append(p.image().diskUri())
          .append('\n');
    }
    b.append("\nTry, from the repository root in another terminal:\n\n");
    for (DemoMirror.Published p : published) {
      String dir = imagesDir + "/127.0.0.1:" + port + "/" + p.image().distro() + "/"
          + p.image().version() + "/amd64";
      b.append("  ./image-cli pull vm ").append(p.request().reference())
          .append(" --arch amd64 --extract-kernel --registry ").append(registry)
          .append(" --dir ").append(imagesDir).append('\n');
      b.append("  qemu-system-x86_64 -accel tcg -m 512 -nographic -no-reboot -kernel ")
          .append(dir).append("/vmlinuz -initrd ").append(dir)
          .append("/initrd -append \"console=ttyS0 $(cat ").append(dir)
          .append("/cmdline) panic=-1\"\n");
      b.append("    # the initrd prints ").append(p.disk().marker())
          .append(" and the command line, then powers off\n\n");
    }
    return b.toString();
  }
}
