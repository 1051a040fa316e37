/**
 * The {@code image-cli} command line (picocli): the composition root that loads the plugins,
 * renders progress and maps failures to exit codes. The only code that prints.
 */
package io.carbon.computeimage.cli;
