/**
 * Contract tests for the transfer ports: every {@link io.carbon.computeimage.ports.transfer.HttpTransport}
 * and {@link io.carbon.computeimage.ports.transfer.Downloader} adapter extends {@link
 * io.carbon.computeimage.testkit.transfer.HttpTransportContractTest} and {@link
 * io.carbon.computeimage.testkit.transfer.DownloaderContractTest}, which run them against a real
 * loopback {@link io.carbon.computeimage.testkit.http.TestHttpServer} with injected faults.
 */
package io.carbon.computeimage.testkit.transfer;
