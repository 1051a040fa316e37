package io.carbon.computeimage.cli;

import io.carbon.computeimage.application.ComputeImage;
import io.carbon.computeimage.domain.container.ContainerImages;
import io.carbon.computeimage.domain.container.ContainerPaths;
import io.carbon.computeimage.domain.container.ContainerRef;
import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.domain.image.ImageRecord;
import io.carbon.computeimage.domain.image.PulledImage;
import io.carbon.computeimage.ports.error.ErrorKind;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code image-cli info container <image> [--dir D] [--json]}. */
@Command(
    name = "container",
    description = {
      "Show a container image's paths, digest, platform, layers and config (no network access).",
      "Exits 0 when the image is ready, 9 when it is not pulled (paths are shown either way)."
    },
    mixinStandardHelpOptions = true)
public class InfoContainerCommand extends BaseCommand {
  @Mixin ContainerOptions container;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  int run() throws Exception {
    ContainerRef ref = container.toRef();
    ComputeImage images = open(container.dir, listener());
    Optional<PulledImage> pulled = images.findContainer(ref);
    ContainerPaths p =
        pulled.map(ComputeImage::containerPathsFromImage).orElse(images.resolveContainerPaths(ref));
    String status =
        pulled.isPresent() ? "ready" : Files.exists(p.dir()) ? "incomplete" : "not pulled";
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("image", ref.image());
    info.put("status", status);
    info.put("dir", p.dir().toString());
    if (pulled.isPresent()) {
      ImageRecord r = pulled.get().record();
      info.put("reference", r.reference());
      info.put("registry", r.registry());
      info.put("platform", r.platform());
      info.put("digest", r.attribute("manifestDigest").orElse(""));
      if (!r.attribute("resolvedDigest").equals(r.attribute("manifestDigest"))) {
        info.put("indexDigest", r.attribute("resolvedDigest").orElse(""));
      }
      info.put("mediaType", r.attribute("mediaType").orElse(""));
      info.put("config", r.attribute("configDigest").orElse(""));
      info.put("pulledAt", r.pulledAt().toString());
      info.put("created", r.attribute("created").orElse(""));
      info.put("compressedSize", r.longAttribute("compressedSize"));
      List<Object> layers = new ArrayList<>();
      for (int i = 0; i < p.layers().size(); i++) {
        String k = ContainerImages.layerKey(i);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("dir", p.layers().get(i).toString());
        l.put("digest", r.attribute(k + "digest").orElse(""));
        l.put("size", r.longAttribute(k + "size"));
        l.put("diffId", r.attribute(k + "diffId").orElse(""));
        l.put("mediaType", r.attribute(k + "mediaType").orElse(""));
        layers.add(l);
      }
      info.put("layers", layers);
      info.put("upper", p.upper().toString());
      info.put("work", p.work().toString());
      info.put("mountOptions", p.mountOptions());
      info.put("env", ContainerImages.list(r, "env"));
      info.put("entrypoint", ContainerImages.list(r, "entrypoint"));
      info.put("cmd", ContainerImages.list(r, "cmd"));
      info.put("workingDir", r.attribute("workingDir").orElse(""));
      info.put("user", r.attribute("user").orElse(""));
    }
    info.put("cache", p.cache().toString());
    if (json) {
      out().println(Json.write(info));
    } else {
      for (Map.Entry<String, Object> e : info.entrySet()) {
        Object v = e.getValue();
        if (e.getKey().equals("layers")) {
          out().printf("%-16s %d%n", "layers:", ((List<?>) v).size());
          for (Object o : (List<?>) v) {
            Map<?, ?> l = (Map<?, ?>) o;
            out().printf(
                "  %s  %s  %s%n",
                l.get("dir"), l.get("digest"), HumanBytes.format((Long) l.get("size")));
          }
          continue;
        }
        if (v instanceof Long && e.getKey().endsWith("Size")) {
          v = HumanBytes.format((Long) v) + " (" + v + " bytes)";
        }
        out().printf("%-16s %s%n", e.getKey() + ":", SafeText.escape(String.valueOf(v)));
      }
    }
    return pulled.isPresent() ? 0 : ErrorKind.NOT_PULLED.exitCode();
  }
}
