package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.adapter.overlay.tar.PrintableText;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsafeContentException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns tar entry names into lists of path components, refusing names that could escape. */
final class EntryPath {
  /** NAME_MAX of Linux file systems: the longest name of one directory entry, in bytes. */
  static final int NAME_MAX = 255;

  private EntryPath() {}

  /**
   * Splits a name: {@code ./} prefixes, repeated slashes, {@code .} components and a trailing slash
   * are dropped; an absolute name, a {@code ..} component or a NUL byte is refused.
   *
   * @param name the entry name or hard link target
   * @param what "entry" or "hard link target", for the message
   * @param layer the layer name for the message
   * @return the components, empty for the root
   * @throws UnsafeContentException when the name could escape the layer directory
   * @throws MalformedImageException when a component is longer than {@value #NAME_MAX} bytes (a
   *     whiteout's {@code .wh.} prefix not counted)
   */
  static List<String> components(String name, String what, String layer)
      throws UnsafeContentException, MalformedImageException {
    if (name.startsWith("/")) {
      throw new UnsafeContentException(
          "refusing " + what + " '" + PrintableText.name(name) + "' in " + layer + ": absolute path");
    }
    if (name.indexOf('\0') >= 0) {
      throw new UnsafeContentException("refusing " + what + " '" + PrintableText.name(name)
          + "' in " + layer + ": NUL byte in name");
    }
    List<String> out = new ArrayList<>();
    // split on '/' by hand: String.split's regex path is slow to run and to JIT-compile here
    for (int start = 0, end; start <= name.length(); start = end + 1) {
      end = name.indexOf('/', start);
      if (end < 0) {
        end = name.length();
      }
      String c = name.substring(start, end);
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new UnsafeContentException("refusing " + what + " '" + PrintableText.name(name)
            + "' in " + layer + ": '..' component");
      }
      int bytes = c.getBytes(StandardCharsets.UTF_8).length;
      // a whiteout names a path of up to NAME_MAX bytes after its ".wh." prefix
      if (bytes > (c.startsWith(".wh.") ? NAME_MAX + 4 : NAME_MAX)) {
        throw new MalformedImageException("malformed " + what + " '" + PrintableText.name(name)
            + "' in " + layer + ": a name component of " + bytes + " bytes (Linux allows "
            + NAME_MAX + ")");
      }
      out.add(c);
    }
    return out;
  }

  static String join(List<String> comps) {
    return String.join("/", comps);
  }
}
