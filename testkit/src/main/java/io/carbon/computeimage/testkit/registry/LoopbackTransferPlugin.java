package io.carbon.computeimage.testkit.registry;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.DigestMismatchException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import io.carbon.computeimage.ports.spi.ComputeImagePlugin;
import io.carbon.computeimage.ports.transfer.DownloadRequest;
import io.carbon.computeimage.ports.transfer.DownloadResult;
import io.carbon.computeimage.ports.transfer.Downloader;
import io.carbon.computeimage.ports.transfer.HttpTransport;
import io.carbon.computeimage.ports.transfer.TransferProvider;
import io.carbon.computeimage.ports.transfer.TransferSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in transfer plugin for tests of the container pipeline that must not depend on the
 * transfer adapter: {@link LoopbackHttpTransport} plus a verifying downloader (no resume, no
 * retries; a file already in place is reused only when its digest matches). Records the URIs it
 * fetched. Registered with a high priority when added to a plugin registry.
 */
public final class LoopbackTransferPlugin implements ComputeImagePlugin {
  private final List<URI> fetched = new CopyOnWriteArrayList<>();
  private final LoopbackHttpTransport http = new LoopbackHttpTransport();

  /** @return the blob URIs fetched (not reused), in order */
  public List<URI> fetched() {
    return List.copyOf(fetched);
  }

  @Override
  public String name() {
    return "test-loopback-transfer";
  }

  @Override
  public List<TransferProvider> transferProviders() {
    return List.of(
        new TransferProvider() {
          @Override
          public String name() {
            return "test-loopback";
          }

          @Override
          public int priority() {
            return 1000;
          }

          @Override
          public HttpTransport httpTransport(TransferSettings settings) {
            return http;
          }

          @Override
          public Downloader downloader(TransferSettings settings) {
            return LoopbackTransferPlugin.this::download;
          }
        });
  }

  private DownloadResult download(
      DownloadRequest request, Path destination, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    cancellation.check();
    try {
      Files.createDirectories(destination.getParent());
      if (Files.isRegularFile(destination) && digest(destination).equals(request.expected())) {
        return new DownloadResult(destination, Files.size(destination), true, 0);
      }
      fetched.add(request.uri());
      URI uri = request.uri();
      Map<String, String> headers = new HashMap<>(request.headers());
      HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      for (int hop = 0; hop < 10; hop++) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120));
        headers.forEach(b::header);
        HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        int s = r.statusCode();
        if (s >= 300 && s < 400 && r.headers().firstValue("location").isPresent()) {
          r.body().close();
          URI next = uri.resolve(r.headers().firstValue("location").get());
          if (!Objects.equals(next.getHost(), uri.getHost()) || next.getPort() != uri.getPort()) {
            headers.remove("Authorization");
          }
          uri = next;
          continue;
        }
        if (s != 200) {
          r.body().close();
          throw new TransferException("HTTP " + s + " for " + uri);
        }
        Path tmp = destination.resolveSibling(destination.getFileName() + ".part");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        String task = destination.getFileName().toString();
        listener.started(task, "download " + task, request.expectedSize());
        long n = 0;
        try (InputStream in = r.body();
            OutputStream out = Files.newOutputStream(tmp)) {
          byte[] buf = new byte[1 << 16];
          int k;
          while ((k = in.read(buf)) > 0) {
            cancellation.check();
            md.update(buf, 0, k);
            out.write(buf, 0, k);
            n += k;
            listener.progressed(task, n);
          }
        }
        Digest actual = new Digest(request.expected().algorithm(), HexFormat.of().formatHex(md.digest()));
        if (!actual.equals(request.expected())) {
          Files.deleteIfExists(tmp);
          throw new DigestMismatchException(uri.toString(), request.expected(), actual);
        }
        Files.move(tmp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        listener.finished(task);
        return new DownloadResult(destination, n, false, 0);
      }
      throw new TransferException("too many redirects from " + request.uri());
    } catch (IOException e) {
      throw new LocalStorageException("download of " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("interrupted: " + request.uri(), e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Digest digest(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int k;
      while ((k = in.read(buf)) > 0) {
        md.update(buf, 0, k);
      }
      return new Digest(
          io.carbon.computeimage.ports.model.DigestAlgorithm.SHA256, HexFormat.of().formatHex(md.digest()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
