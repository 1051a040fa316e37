package io.carbon.computeimage.adapter.distro.support;

import io.carbon.computeimage.ports.model.Digest;
import io.carbon.computeimage.ports.model.DigestAlgorithm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the checksum files distro mirrors publish, whatever their format: GNU ({@code hex
 * file}), GNU binary ({@code hex *file}), BSD ({@code SHA256 (file) = hex}) and bare hex, also
 * inside a PGP clear-signed message (Fedora, CentOS). Comment lines ({@code # file: N bytes}) and
 * lines of no known shape are skipped. The algorithm comes from the BSD tag or the hex length.
 */
public final class ChecksumFileParser {
  private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";
  private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
  private static final Pattern BSD =
      Pattern.compile("^(SHA-?256|SHA-?512)\\s*\\((.+)\\)\\s*=\\s*([0-9A-Fa-f]+)$",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern GNU = Pattern.compile("^\\\\?([0-9A-Fa-f]{64}|[0-9A-Fa-f]{128}) [ *]?(.+)$");
  private static final Pattern BARE = Pattern.compile("^([0-9A-Fa-f]{64}|[0-9A-Fa-f]{128})$");

  private ChecksumFileParser() {}

  /**
   * Parses a checksum file's text.
   *
   * @param text the whole file
   * @return the entries in file order; a bare-hex file yields one entry with an empty name
   */
  public static List<ChecksumEntry> parse(String text) {
    List<ChecksumEntry> entries = new ArrayList<>();
    for (String raw : body(text)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      parseLine(line).ifPresent(entries::add);
    }
    return List.copyOf(entries);
  }

  private static Optional<ChecksumEntry> parseLine(String line) {
    Matcher bsd = BSD.matcher(line);
    if (bsd.matches()) {
      String tag = bsd.group(1).toLowerCase(Locale.ROOT).replace("-", "");
      Optional<DigestAlgorithm> alg = DigestAlgorithm.byPrefix(tag);
      String hex = bsd.group(3);
      if (alg.isPresent() && hex.length() == alg.get().hexLength()) {
        return Optional.of(new ChecksumEntry(bsd.group(2), new Digest(alg.get(), hex)));
      }
      return Optional.empty();
    }
    Matcher gnu = GNU.matcher(line);
    if (gnu.matches()) {
      return Optional.of(new ChecksumEntry(gnu.group(2).strip(), byLength(gnu.group(1))));
    }
    Matcher bare = BARE.matcher(line);
    if (bare.matches()) {
      return Optional.of(new ChecksumEntry("", byLength(bare.group(1))));
    }
    return Optional.empty();
  }

  private static Digest byLength(String hex) {
    DigestAlgorithm alg =
        DigestAlgorithm.byHexLength(hex.length())
            .orElseThrow(() -> new IllegalStateException("unexpected hex length " + hex.length()));
    return new Digest(alg, hex);
  }

  /** Returns the lines that carry checksums: the signed body of a clear-signed message, or all. */
  private static List<String> body(String text) {
    List<String> lines = text.lines().toList();
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(BEGIN_SIGNED)) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return lines;
    }
    int i = start + 1;
    while (i < lines.size() && !lines.get(i).isBlank()) {
      i++; // armor headers such as "Hash: SHA256"
    }
    List<String> out = new ArrayList<>();
    for (i = i + 1; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.strip().equals(BEGIN_SIGNATURE)) {
        break;
      }
      out.add(l.startsWith("- ") ? l.substring(2) : l);
    }
    return out;
  }
}
