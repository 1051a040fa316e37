package io.carbon.computeimage.adapter.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;

/**
 * Describes why a registry document could not be read, in one line and without Jackson's class
 * names or source excerpts: invalid JSON (with line and column) or valid JSON with a field of the
 * wrong type (with the field's path).
 */
final class JsonProblem {
  private JsonProblem() {}

  /**
   * @param e what Jackson threw
   * @return for example {@code is not valid JSON (line 1, column 7: unexpected character 'x')} or
   *     {@code has a wrong type at Env: expected an array}
   */
  static String describe(IOException e) {
    if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      return "has a value of the wrong type at '" + path(m) + "'" + expected(m);
    }
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      return "has an unreadable value at '" + path(m) + "'";
    }
    if (e instanceof JacksonException j) {
      String what = j.getOriginalMessage();
      int cut = what == null ? -1 : what.indexOf('\n');
      if (cut >= 0) {
        what = what.substring(0, cut);
      }
      JsonLocation at = j.getLocation();
      String where =
          at != null && at.getLineNr() > 0
              ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": "
              : "";
      return "is not valid JSON (" + where + oneLine(what) + ")";
    }
    return "cannot be read: " + oneLine(e.getMessage());
  }

  private static String path(JsonMappingException m) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : m.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static String expected(MismatchedInputException m) {
    Class<?> t = m.getTargetType();
    if (t == null) {
      return "";
    }
    if (t.isArray() || java.util.Collection.class.isAssignableFrom(t)) {
      return " (expected an array)";
    }
    if (java.util.Map.class.isAssignableFrom(t) || t.isRecord()) {
      return " (expected an object)";
    }
    if (t == String.class) {
      return " (expected a string)";
    }
    if (Number.class.isAssignableFrom(t) || t.isPrimitive()) {
      return " (expected a number)";
    }
    return "";
  }

  private static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    String t = s.replaceAll("[\\r\\n\\t]+", " ").trim();
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }
}
