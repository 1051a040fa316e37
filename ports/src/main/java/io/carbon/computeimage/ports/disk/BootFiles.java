package io.carbon.computeimage.ports.disk;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The boot files extracted from a disk.
 *
 * @param kernel the kernel as the distro ships it ({@code vmlinuz})
 * @param initrd the matching initial ramdisk ({@code initrd})
 * @param cmdline the file holding the kernel command line ({@code cmdline})
 * @param commandLine the kernel command line itself
 * @param kernelVersion the kernel version, for example {@code 6.8.0-45-generic}
 * @param extraFiles further files written (for example an uncompressed {@code vmlinux}), may be
 *     empty
 * @since 0.1
 */
public record BootFiles(
    Path kernel,
    Path initrd,
    Path cmdline,
    String commandLine,
    String kernelVersion,
    List<Path> extraFiles) {
  /** Validates and copies the components. */
  public BootFiles {
    Objects.requireNonNull(kernel, "kernel is null");
    Objects.requireNonNull(initrd, "initrd is null");
    Objects.requireNonNull(cmdline, "cmdline is null");
    Objects.requireNonNull(commandLine, "commandLine is null");
    Objects.requireNonNull(kernelVersion, "kernelVersion is null");
    extraFiles = List.copyOf(extraFiles);
  }
}
