/**
 * The transfer adapter: an {@link io.carbon.computeimage.ports.transfer.HttpTransport} and a
 * resumable, verified, cross-process-locked {@link io.carbon.computeimage.ports.transfer.Downloader}
 * on the JDK's {@code java.net.http} client, with redirects followed by hand so that {@code
 * Authorization} never reaches another origin.
 */
package io.carbon.computeimage.adapter.transfer;
