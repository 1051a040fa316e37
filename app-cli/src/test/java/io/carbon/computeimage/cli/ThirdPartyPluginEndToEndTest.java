package io.carbon.computeimage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.carbon.computeimage.ports.distro.DistroCatalog;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.testkit.disk.Qcow2Options.Compression;
import io.carbon.computeimage.testkit.http.TestHttpServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party distro plugin, compiled at test time against the ports jar only, packaged with its
 * META-INF/services file, loaded from a plugin directory and pulled from through a local mirror.
 */
final class ThirdPartyPluginEndToEndTest {
  private static final String SOURCE =
      """
      package com.acme.tinyos;

      import io.carbon.computeimage.ports.distro.*;
      import io.carbon.computeimage.ports.error.*;
      import io.carbon.computeimage.ports.model.*;
      import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
      import io.carbon.computeimage.ports.transfer.*;
      import java.net.URI;
      import java.util.*;

      public final class TinyOsPlugin implements ComputeImagePlugin {
        public TinyOsPlugin() {}
        public String name() { return "acme-tinyos"; }
        public List<DistroCatalog> distroCatalogs() { return List.of(new Catalog()); }

        static final class Catalog implements DistroCatalog {
          public String name() { return "tinyos"; }
          public List<String> aliases() { return List.of("tiny"); }
          public String displayName() { return "TinyOS"; }
          public String defaultRegistry() { return "images.tinyos.example"; }
          public List<DistroRelease> releases() {
            return List.of(new DistroRelease("1.0", List.of("acorn"), Set.of(Arch.AMD64)));
          }
          public String canonicalVersion(String v) throws NotFoundException {
            if (v.equals("1.0") || v.equals("acorn")) return "1.0";
            throw new NotFoundException("unknown tinyos version '" + v + "': valid versions are 1.0 (acorn)");
          }
          public ImageLocation locate(DistroQuery q) throws NotFoundException {
            String v = canonicalVersion(q.version());
            if (q.arch() != Arch.AMD64) throw new NotFoundException("tinyos has no " + q.arch() + " image: valid is amd64");
            String base = q.mirror().map(URI::toString).orElse("https://images.tinyos.example");
            String file = "tinyos-" + v + "-amd64.qcow2";
            return new ImageLocation(URI.create(base + "/tinyos/" + v + "/" + file),
                URI.create(base + "/tinyos/" + v + "/SHA256SUMS"), ChecksumFormat.GNU, file);
          }
          public ResolvedImage resolve(DistroQuery q, HttpTransport http) throws ComputeImageException {
            ImageLocation loc = locate(q);
            HttpResult r = http.send(HttpRequest.get(loc.checksumUri()));
            if (!r.isSuccess()) throw new NotFoundException("HTTP " + r.status() + " for " + loc.checksumUri());
            for (String line : r.bodyText().split("\\n")) {
              String[] parts = line.trim().split("\\\\s+");
              if (parts.length == 2 && parts[1].equals(loc.fileName())) {
                return new ResolvedImage("tinyos", "1.0", "1.0", q.arch(), loc, Digest.ofHex(parts[0]));
              }
            }
            throw new NotFoundException(loc.checksumUri() + " does not list " + loc.fileName());
          }
        }
      }
      """;

  @TempDir Path work;

  @Test
  void pluginJarInPluginDir_foundListedAndPulledFrom() throws Exception {
    E2eFixture fixture = E2eFixture.get();
    Path pluginDir = Files.createDirectories(work.resolve("plugins/tinyos"));
    buildPluginJar(pluginDir.resolve("tinyos-plugin.jar"));

    Path mirror = Files.createDirectories(work.resolve("mirror/tinyos/1.0"));
    Path qcow2 = fixture.qcow2.get(Compression.ZLIB);
    Files.copy(qcow2, mirror.resolve("tinyos-1.0-amd64.qcow2"));
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(qcow2)));
    Files.writeString(mirror.resolve("SHA256SUMS"), hex + "  tinyos-1.0-amd64.qcow2\n");

    Path root = work.resolve("root");
    CliHarness cli = CliHarness.withClassPathPlugins(root);
    String dirArg = work.resolve("plugins").toString();
    CliHarness.Result distros = cli.run("distros", "--plugin-dir", dirArg);
    assertThat(distros.code()).as(distros.err()).isZero();
    assertThat(distros.out()).contains("tinyos (tiny)  TinyOS").contains("ubuntu");

    try (TestHttpServer server = TestHttpServer.serving(work.resolve("mirror"))) {
      CliHarness.Result pull =
          cli.run("pull", "vm", "tiny:acorn", "--arch", "amd64", "--registry", server.origin(), "--dir", root.toString(), "--plugin-dir", dirArg);
      assertThat(pull.code()).as(pull.err()).isZero();
      Path disk = root.resolve("127.0.0.1:" + server.port()).resolve("tinyos/1.0/amd64/disk.img");
      assertThat(Files.mismatch(disk, fixture.expectedRaw.get(Compression.ZLIB))).isEqualTo(-1L);
    }
    CliHarness.Result unknown =
        cli.run("pull", "vm", "tinyos:2.0", "--arch", "amd64", "--dir", root.toString(), "--plugin-dir", dirArg);
    assertThat(unknown.code()).isEqualTo(3);
    assertThat(unknown.err()).contains("valid versions are 1.0 (acorn)");
    // without the plugin directory the distro is unknown
    assertThat(cli.run("pull", "vm", "tinyos:1.0", "--arch", "amd64", "--dir", root.toString()).code()).isEqualTo(3);
  }

  private void buildPluginJar(Path jar) throws Exception {
    Path src = Files.createDirectories(work.resolve("src/com/acme/tinyos"));
    Files.writeString(src.resolve("TinyOsPlugin.java"), SOURCE);
    Path classes = Files.createDirectories(work.resolve("classes"));
    String portsJar = Path.of(DistroCatalog.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(null, null, null, "--release", "17", "-cp", portsJar, "-d", classes.toString(),
            src.resolve("TinyOsPlugin.java").toString());
    assertThat(rc).as("javac of the plugin").isZero();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("META-INF/services/" + ComputeImagePlugin.class.getName()));
      OutputStream o = out;
      o.write("com.acme.tinyos.TinyOsPlugin\n".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    assertThat(List.of(jar)).allSatisfy(j -> assertThat(j).isNotEmptyFile());
  }
}
