package io.carbon.computeimage.adapter.convert.kernel;

/**
 * The kernel a boot directory would boot.
 *
 * @param kernelPath the kernel's path in its filesystem
 * @param initrdPath the matching initrd's path in the same filesystem
 * @param version the kernel version from the file name ({@code virt}, {@code linux} for
 *     versionless names)
 * @param commandLine the command line the configuration gives, or "" when it gives none
 * @param source how it was chosen, for example {@code BLS entry fedora-6.11.conf (saved_entry)}
 */
public record BootChoice(
    String kernelPath, String initrdPath, String version, String commandLine, String source) {}
