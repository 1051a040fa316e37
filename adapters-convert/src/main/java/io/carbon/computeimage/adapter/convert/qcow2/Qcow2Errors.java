package io.carbon.computeimage.adapter.convert.qcow2;

import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;

/** Builds the reader's errors; messages name the file and the field. */
final class Qcow2Errors {
  private Qcow2Errors() {}

  static MalformedImageException malformed(String file, String what) {
    return new MalformedImageException("malformed qcow2 image " + file + ": " + what);
  }

  static MalformedImageException malformed(String file, String what, Throwable cause) {
    return new MalformedImageException("malformed qcow2 image " + file + ": " + what, cause);
  }

  static UnsupportedFeatureException unsupported(String file, String what) {
    return new UnsupportedFeatureException("unsupported qcow2 image " + file + ": " + what);
  }
}
