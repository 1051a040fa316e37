package io.carbon.computeimage.testkit.boot;

import java.nio.file.Path;

/**
 * A built distro-like disk.
 *
 * @param layout the layout
 * @param raw the raw disk
 * @param qcow2 the same disk as qcow2
 * @param marker the marker only the default kernel's initrd prints
 * @param commandLine the command line the image's boot configuration gives
 * @param kernelVersion the version of the default kernel's file name
 * @param kernel the kernel placed as the default kernel (the real one)
 */
public record BuiltLayout(
    DistroLayout layout,
    Path raw,
    Path qcow2,
    String marker,
    String commandLine,
    String kernelVersion,
    Path kernel) {}
