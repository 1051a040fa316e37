package io.carbon.computeimage.adapter.convert.kernel;

/**
 * A boot entry as a boot loader configuration describes it.
 *
 * @param title the title or label, for messages
 * @param kernel the kernel path as written (may be relative to the boot partition)
 * @param initrd the initrd path as written, or "" when none is named
 * @param options the kernel command line as written, variables not yet expanded
 * @param version the version the entry declares, or ""
 * @param id the entry id (BLS file name without {@code .conf}, grub menuentry id), or ""
 */
public record BootEntry(
    String title, String kernel, String initrd, String options, String version, String id) {}
