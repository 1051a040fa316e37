package io.carbon.computeimage.cli;

import picocli.CommandLine.Command;

/** {@code image-cli info}: groups the info subcommands (one per image kind). */
@Command(
    name = "info",
    description = "Show where an image is stored and whether it is pulled.",
    mixinStandardHelpOptions = true,
    subcommands = {InfoVmCommand.class, InfoContainerCommand.class})
public class InfoCommand extends ParentCommand {}
