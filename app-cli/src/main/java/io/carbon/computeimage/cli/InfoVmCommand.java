package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.ImageStatus;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.domain.image.StoredImage;
import io.carbon.computeimage.domain.vm.VmImages;
import io.carbon.computeimage.domain.vm.VmPaths;
import io.carbon.computeimage.domain.vm.VmRef;
import io.carbon.computeimage.ports.error.ErrorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code image-cli info vm <image> --arch A [--registry R] [--dir D] [--json]}. */
@Command(
    name = "vm",
    description = {
      "Show the paths of a VM image and whether it is pulled (no network access).",
      "Exits 0 when the image is ready, 9 when it is not pulled (paths are shown either way)."
    },
    mixinStandardHelpOptions = true)
public class InfoVmCommand extends BaseCommand {
  @Mixin VmOptions vm;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  int run() throws Exception {
    VmRef ref = vm.toRef(false);
    ComputeImage images = open(vm.dir, listener());
    VmPaths resolved = images.resolveVmPaths(ref);
    Optional<PulledImage> pulled = images.findVm(ref);
    VmPaths p = pulled.map(ComputeImage::vmPathsFromImage).orElse(resolved);
    String status =
        pulled.isPresent() ? "ready" : Files.exists(p.dir()) ? "incomplete" : "not pulled";

    Map<String, Object> info = new LinkedHashMap<>();
    info.put("image", ref.image());
    info.put("arch", ref.arch().ociName());
    info.put("status", status);
    info.put("dir", p.dir().toString());
    info.put("disk", p.disk().toString());
    info.put("diskFormat", p.diskFormat().name());
    info.put("cache", p.cache().toString());
    info.put("cached", Files.isRegularFile(p.cache()));
    p.kernel().ifPresent(k -> info.put("kernel", k.toString()));
    p.initrd().ifPresent(k -> info.put("initrd", k.toString()));
    p.cmdline().ifPresent(k -> info.put("cmdline", k.toString()));
    if (pulled.isPresent()) {
      ImageRecord r = pulled.get().record();
      info.put("reference", r.reference());
      info.put("registry", r.registry());
      info.put("pulledAt", r.pulledAt().toString());
      r.attribute(VmImages.BUILD).ifPresent(v -> info.put("build", v));
      r.attribute(VmImages.SOURCE_URL).ifPresent(v -> info.put("sourceUrl", v));
      r.attribute(VmImages.SOURCE_DIGEST).ifPresent(v -> info.put("sourceDigest", v));
      if (r.longAttribute(VmImages.VIRTUAL_SIZE) >= 0) {
        info.put("virtualSize", r.longAttribute(VmImages.VIRTUAL_SIZE));
      }
      if (r.longAttribute(VmImages.DATA_BYTES) >= 0) {
        info.put("dataBytes", r.longAttribute(VmImages.DATA_BYTES));
      }
      r.attribute(VmImages.KERNEL_VERSION).ifPresent(v -> info.put("kernelVersion", v));
      r.attribute(VmImages.COMMAND_LINE).ifPresent(v -> info.put("commandLine", v));
    }

    if (pulled.isEmpty()) {
      // the same name/version/arch pulled from another mirror (--registry is part of the path)
      List<String> elsewhere = new ArrayList<>();
      for (StoredImage s : images.list()) {
        if (s.kind().equals("vm")
            && s.status() == ImageStatus.READY
            && !s.dir().equals(p.dir())
            && sameTail(s.dir(), p.dir())) {
          elsewhere.add(s.registry());
        }
      }
      if (!elsewhere.isEmpty()) {
        info.put("pulledFromOtherRegistries", elsewhere);
        info.put(
            "hint",
            "pulled from "
                + String.join(", ", elsewhere)
                + "; give the same --registry to see it");
      }
    }
    if (json) {
      out().println(Json.write(info));
    } else {
      for (Map.Entry<String, Object> e : info.entrySet()) {
        Object v = e.getValue();
        if (v instanceof Long && (e.getKey().endsWith("Size") || e.getKey().endsWith("Bytes"))) {
          v = HumanBytes.format((Long) v) + " (" + v + " bytes)";
        }
        out().printf("%-14s %s%n", e.getKey() + ":", v);
      }
      if (pulled.isEmpty() && Files.isRegularFile(p.cache())) {
        out().printf("%-14s %s%n", "cacheSize:", HumanBytes.format(Files.size(p.cache())));
      }
    }
    return pulled.isPresent() ? 0 : ErrorKind.NOT_PULLED.exitCode();
  }


  /** Same {@code <name>/<version>/<arch>} below the registry segment. */
  private static boolean sameTail(Path a, Path b) {
    int n = a.getNameCount();
    return n == b.getNameCount() && n >= 3 && a.subpath(n - 3, n).equals(b.subpath(n - 3, n));
  }
}
