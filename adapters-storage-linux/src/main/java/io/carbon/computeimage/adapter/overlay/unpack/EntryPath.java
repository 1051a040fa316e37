package io.carbon.computeimage.adapter.overlay.unpack;

import io.carbon.computeimage.ports.error.UnsafeContentException;
import java.util.ArrayList;
import java.util.List;

/** Turns tar entry names into lists of path components, refusing names that could escape. */
final class EntryPath {
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
   */
  static List<String> components(String name, String what, String layer) throws UnsafeContentException {
    if (name.startsWith("/")) {
      throw new UnsafeContentException(
          "refusing " + what + " '" + name + "' in " + layer + ": absolute path");
    }
    if (name.indexOf('\0') >= 0) {
      throw new UnsafeContentException(
          "refusing " + what + " '" + name + "' in " + layer + ": NUL byte in name");
    }
    List<String> out = new ArrayList<>();
    for (String c : name.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        throw new UnsafeContentException(
            "refusing " + what + " '" + name + "' in " + layer + ": '..' component");
      }
      out.add(c);
    }
    return out;
  }

  static String join(List<String> comps) {
    return String.join("/", comps);
  }
}
