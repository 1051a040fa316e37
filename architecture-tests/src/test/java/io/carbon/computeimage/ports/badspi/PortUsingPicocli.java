package io.carbon.computeimage.ports.badspi;

/** A deliberate violation: a port type that uses a third-party library. */
public record PortUsingPicocli(picocli.CommandLine commandLine) {}
