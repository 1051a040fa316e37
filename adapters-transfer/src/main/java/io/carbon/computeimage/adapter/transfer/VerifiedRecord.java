package io.carbon.computeimage.adapter.transfer;

import io.carbon.computeimage.ports.model.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The record {@code <dest>.verified} written after a download was verified and renamed into
 * place: {@code <algorithm>:<hex> <size>}. A later download with the same expected digest reuses
 * the file without network; a different expected digest (an upstream "latest" that changed)
 * downloads again.
 *
 * @param digest the verified digest
 * @param size the verified size
 */
record VerifiedRecord(Digest digest, long size) {

  static Path fileFor(Path destination) {
    return destination.resolveSibling(destination.getFileName() + ".verified");
  }

  static Optional<VerifiedRecord> read(Path destination) {
    Path file = fileFor(destination);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
      if (parts.length != 2) {
        return Optional.empty();
      }
      return Optional.of(new VerifiedRecord(Digest.parse(parts[0]), Long.parseLong(parts[1])));
    } catch (IOException | IllegalArgumentException | io.carbon.computeimage.ports.error.InvalidReferenceException e) {
      return Optional.empty();
    }
  }

  void write(Path destination) throws IOException {
    AtomicFiles.writeString(fileFor(destination), digest + " " + size + "\n");
  }

  static void delete(Path destination) throws IOException {
    Files.deleteIfExists(fileFor(destination));
  }
}
