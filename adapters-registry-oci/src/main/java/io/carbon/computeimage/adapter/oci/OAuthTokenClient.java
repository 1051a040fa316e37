package io.carbon.computeimage.adapter.oci;

import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.TransferException;
import io.carbon.computeimage.ports.transfer.HttpResult;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Exchanges an identity (refresh) token for a registry token with the OAuth2 {@code
 * grant_type=refresh_token} POST. The {@code HttpTransport} port only sends GET and HEAD, so this
 * one form POST goes through the JDK client directly, without following redirects.
 */
final class OAuthTokenClient {
  private final HttpClient client =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(30))
          .build();

  HttpResult post(URI realm, Map<String, String> form) throws ComputeImageException {
    String body =
        form.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(realm)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new HttpResult(r.statusCode(), r.headers().map(), r.body(), realm);
    } catch (IOException e) {
      throw new TransferException("token request to " + realm + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancelledException("token request to " + realm + " interrupted", e);
    }
  }
}
