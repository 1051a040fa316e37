/**
 * Transfer ports: small HTTP requests ({@link io.carbon.computeimage.ports.transfer.HttpTransport})
 * and verified, resumable, locked downloads into files ({@link
 * io.carbon.computeimage.ports.transfer.Downloader}).
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.transfer;
