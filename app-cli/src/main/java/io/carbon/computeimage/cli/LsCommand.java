package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.domain.vm.VmImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code image-cli ls [--dir D] [--json]}: the pulled images, not the cache. */
@Command(
    name = "ls",
    description = {
      "List pulled images (VM and container) with size and status; the cache is not listed.",
      "SIZE is the space taken on disk: a sparse disk.img counts with its allocated bytes"
          + " (--json adds virtualSizeBytes, the guest-visible disk size)."
    },
    mixinStandardHelpOptions = true)
public class LsCommand extends BaseCommand {
  @Option(names = "--dir", paramLabel = "<path>", description = "Root directory (default: platform default).")
  Path dir;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  int run() throws Exception {
    ComputeImage images = open(dir, listener());
    Path root = root(dir);
    List<StoredImage> list = images.list(root);
    if (json) {
      List<Object> arr = new ArrayList<>();
      for (StoredImage s : list) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind());
        m.put("reference", s.reference());
        m.put("platform", s.platform());
        m.put("registry", s.registry());
        m.put("status", s.status().name().toLowerCase(Locale.ROOT));
        m.put("sizeBytes", s.sizeBytes());
        s.record()
            .flatMap(r -> r.attribute(VmImages.VIRTUAL_SIZE))
            .ifPresent(v -> m.put("virtualSizeBytes", Long.parseLong(v)));
        m.put("dir", s.dir().toString());
        s.record().ifPresent(r -> m.put("pulledAt", r.pulledAt().toString()));
        arr.add(m);
      }
      out().println(Json.write(arr));
      return 0;
    }
    if (list.isEmpty()) {
      if (!common.quiet) {
        err().println("no images under " + root);
      }
      return 0;
    }
    // columns as wide as their longest value (long container references and platforms)
    int image = "IMAGE".length();
    int arch = "ARCH".length();
    int registry = "REGISTRY".length();
    for (StoredImage s : list) {
      image = Math.max(image, s.reference().length());
      arch = Math.max(arch, s.platform().length());
      registry = Math.max(registry, s.registry().length());
    }
    String fmt = "%-" + image + "s  %-" + arch + "s  %-9s  %-" + registry + "s  %9s  %s%n";
    out().printf(fmt, "IMAGE", "ARCH", "KIND", "REGISTRY", "SIZE", "STATUS");
    for (StoredImage s : list) {
      out().printf(
          fmt,
          SafeText.escape(s.reference()),
          SafeText.escape(s.platform()),
          s.kind(),
          SafeText.escape(s.registry()),
          HumanBytes.format(s.sizeBytes()),
          s.status().name().toLowerCase(Locale.ROOT));
    }
    return 0;
  }
}
