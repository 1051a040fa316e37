package io.carbon.computeimage.domain.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carbon.computeimage.ports.error.LocalStorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ImageRecordStoreTest {
  @TempDir Path root;
  private final ImageRecordStore store = new ImageRecordStore();

  @Test
  void writeThenRead_roundTripsOddCharacters() throws Exception {
    Path dir = Files.createDirectories(root.resolve("r/n/v/a"));
    ImageRecord r =
        new ImageRecord(
            "vm", "ubuntu:24.04", "amd64", "127.0.0.1:8080", Instant.parse("2026-01-01T00:00:00Z"),
            Map.of("commandLine", " root=LABEL=x ro console=ttyS0 # = : \\ ünï", "empty", ""));
    store.write(dir, r);
    assertThat(store.read(dir)).contains(r);
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly(ImageRecordStore.FILE_NAME);
    }
    // as readable as the image files beside it (not createTempFile's 0600)
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve(ImageRecordStore.FILE_NAME))))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void read_missing_empty_malformed_throwsNamingFile() throws Exception {
    assertThat(store.read(root)).isEmpty();
    Files.writeString(root.resolve(ImageRecordStore.FILE_NAME), "kind=vm\n");
    assertThatThrownBy(() -> store.read(root))
        .isInstanceOf(LocalStorageException.class)
        .hasMessageContaining(ImageRecordStore.FILE_NAME)
        .hasMessageContaining("reference");
  }

  @Test
  void list_readyIncompleteAndCacheSkipped() throws Exception {
    Path ready = Files.createDirectories(root.resolve("reg/ubuntu/24.04/amd64"));
    Files.write(ready.resolve("disk.img"), new byte[100]);
    store.write(ready, new ImageRecord("vm", "ubuntu:24.04", "amd64", "reg", Instant.EPOCH, Map.of()));
    Path partial = Files.createDirectories(root.resolve("reg/debian/12/arm64"));
    Files.write(partial.resolve("disk.img.part"), new byte[10]);
    Path cache = Files.createDirectories(root.resolve("cache"));
    Files.write(cache.resolve("ubuntu-24.04-amd64.qcow2"), new byte[10]);

    List<StoredImage> listed = store.list(root, "cache");
    assertThat(listed).hasSize(2);
    StoredImage inc = listed.get(0);
    assertThat(inc.status()).isEqualTo(ImageStatus.INCOMPLETE);
    assertThat(inc.reference()).isEqualTo("debian:12");
    assertThat(inc.platform()).isEqualTo("arm64");
    assertThat(inc.kind()).isEqualTo("vm");
    assertThat(inc.record()).isEmpty();
    StoredImage ok = listed.get(1);
    assertThat(ok.status()).isEqualTo(ImageStatus.READY);
    assertThat(ok.sizeBytes()).isGreaterThanOrEqualTo(100);
    assertThat(ok.record()).isPresent();
  }

  @Test
  void list_inProgressMarker_incompleteUnderItsReferenceUntilRecordWritten() throws Exception {
    Path dir = Files.createDirectories(root.resolve("127.0.0.1_5000/x/big/t"));
    ImageRecord pulling =
        new ImageRecord("container", "127.0.0.1:5000/x/big:t", "linux/amd64", "127.0.0.1:5000", Instant.EPOCH, Map.of());
    store.writeInProgress(dir, pulling);

    assertThat(store.read(dir)).isEmpty();
    assertThat(store.readInProgress(dir)).contains(pulling);
    StoredImage inc = store.list(root, "cache").get(0);
    assertThat(inc.status()).isEqualTo(ImageStatus.INCOMPLETE);
    assertThat(inc.reference()).isEqualTo("127.0.0.1:5000/x/big:t");
    assertThat(inc.platform()).isEqualTo("linux/amd64");
    assertThat(inc.kind()).isEqualTo("container");

    store.write(dir, new ImageRecord("container", "127.0.0.1:5000/x/big:t", "linux/amd64", "127.0.0.1:5000", Instant.EPOCH, Map.of()));
    assertThat(dir.resolve(ImageRecordStore.IN_PROGRESS_FILE_NAME)).doesNotExist();
    assertThat(store.list(root, "cache")).singleElement()
        .satisfies(s -> assertThat(s.status()).isEqualTo(ImageStatus.READY));
  }

  @Test
  void list_interruptedContainerWithoutMarker_referenceDerivedFromLayout() throws Exception {
    String hex = "ab".repeat(32);
    for (String d : List.of("127.0.0.1_5000/x/big/t", "127.0.0.1_5000/x/big/sha256-" + hex)) {
      Path dir = root.resolve(d);
      Files.createDirectories(dir.resolve("layers/00"));
      Files.writeString(dir.resolve("manifest.json"), "{}");
    }

    assertThat(store.list(root, "cache"))
        .extracting(StoredImage::reference)
        .containsExactlyInAnyOrder("127.0.0.1:5000/x/big:t", "127.0.0.1:5000/x/big@sha256:" + hex);
    assertThat(store.list(root, "cache")).extracting(StoredImage::registry).containsOnly("127.0.0.1:5000");
  }

  @Test
  void list_missingRoot_isEmpty() throws Exception {
    assertThat(store.list(root.resolve("missing"), "cache")).isEmpty();
  }
}
