/**
 * Progress reporting and cancellation. The library never prints: it reports to a {@link
 * io.carbon.computeimage.ports.progress.ProgressListener} and the CLI renders.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.progress;
