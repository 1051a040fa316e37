package io.carbon.computeimage.cli;

import picocli.CommandLine.Command;

/** {@code image-cli pull}: groups the pull subcommands (one per image kind). */
@Command(
    name = "pull",
    description = "Download and prepare an image.",
    mixinStandardHelpOptions = true,
    subcommands = {PullVmCommand.class, PullContainerCommand.class})
public class PullCommand extends ParentCommand {}
