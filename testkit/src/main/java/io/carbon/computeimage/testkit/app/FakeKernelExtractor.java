package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.disk.BootFiles;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.disk.KernelOptions;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A kernel extractor that writes fixed vmlinuz/initrd/cmdline files and records its inputs. */
public final class FakeKernelExtractor implements KernelExtractor {
  private final List<Path> inputs = new CopyOnWriteArrayList<>();

  /** @return the disks it was asked to read */
  public List<Path> inputs() {
    return List.copyOf(inputs);
  }

  @Override
  public String name() {
    return "fake-kernel";
  }

  @Override
  public BootFiles extract(
      Path disk, Path outputDir, KernelOptions options, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    inputs.add(disk);
    try {
      Path k = Files.writeString(outputDir.resolve("vmlinuz"), "kernel");
      Path i = Files.writeString(outputDir.resolve("initrd"), "initrd");
      Path c = Files.writeString(outputDir.resolve("cmdline"), "root=/dev/vda1 ro");
      return new BootFiles(k, i, c, "root=/dev/vda1 ro", "6.1.0-test", List.of());
    } catch (IOException e) {
      throw new LocalStorageException("cannot write boot files in " + outputDir + ": " + e, e);
    }
  }
}
