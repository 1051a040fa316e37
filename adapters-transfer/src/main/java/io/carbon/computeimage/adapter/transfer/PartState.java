package io.carbon.computeimage.adapter.transfer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What a partial file was downloaded from, kept in {@code <dest>.part.meta} beside {@code
 * <dest>.part}: the URL, the expected digest, and the validators ({@code ETag}, {@code
 * Last-Modified}) of the response, so a resume is attempted only for the same request and guarded
 * by {@code If-Range}.
 *
 * @param url the requested URL
 * @param expected the expected digest, {@code algorithm:hex}
 * @param etag the response's ETag, empty when none
 * @param lastModified the response's Last-Modified, empty when none
 * @param total the full length, or -1 when unknown
 */
record PartState(String url, String expected, String etag, String lastModified, long total) {

  /**
   * The validator to send in {@code If-Range}: a strong ETag, else the Last-Modified date.
   *
   * @return the validator, or empty when the server gave none usable
   */
  Optional<String> ifRange() {
    if (!etag.isEmpty() && !etag.startsWith("W/")) {
      return Optional.of(etag);
    }
    return lastModified.isEmpty() ? Optional.empty() : Optional.of(lastModified);
  }

  /**
   * Reads the state file.
   *
   * @param file the {@code .part.meta} file
   * @return the state, or empty when missing or unreadable
   */
  static Optional<PartState> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
      return Optional.of(
          new PartState(
              p.getProperty("url", ""),
              p.getProperty("expected", ""),
              p.getProperty("etag", ""),
              p.getProperty("lastModified", ""),
              Long.parseLong(p.getProperty("total", "-1"))));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes the state file atomically.
   *
   * @param file the {@code .part.meta} file
   * @throws IOException on a local failure
   */
  void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("url", url);
    p.setProperty("expected", expected);
    p.setProperty("etag", etag);
    p.setProperty("lastModified", lastModified);
    p.setProperty("total", Long.toString(total));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "compute-image partial download");
    }
    AtomicFiles.move(tmp, file);
  }
}
