package io.carbon.computeimage.cli;

import io.carbon.computeimage.domain.format.HumanBytes;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Renders progress on stderr: on a terminal a one-line bar (redrawn with {@code \r} at most every
 * 100 ms) with bytes, rate and ETA; otherwise plain lines at start, every 10 % (or every 10 s when
 * the total is unknown) and at the end, each naming its task, so that parallel tasks (layer
 * downloads) can be told apart. The end line replaces the bar and says {@code 100% done} when the
 * total is known. Thread-safe.
 */
final class ProgressRenderer implements ProgressListener {
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final long PLAIN_INTERVAL_NANOS = 10_000_000_000L;

  private final PrintWriter err;
  private final boolean terminal;
  private final int columns;
  private final LongSupplier nanoTime;
  private final Map<String, Task> tasks = new HashMap<>();
  private boolean lineDirty;

  /** The hex digits of a digest past its first 12 ({@code sha256:0515da6ad439}). */
  private static final Pattern LONG_HEX = Pattern.compile("\\b([0-9a-f]{12})[0-9a-f]{20,}\\b");

  private static final class Task {
    final String description;
    final String name;
    final long total;
    final long startNanos;
    long baseBytes = -1;
    long baseNanos;
    long done;
    long lastDrawNanos;
    int lastDecile = -1;

    Task(String description, long total, long startNanos) {
      this.description = description;
      this.name = shortName(description);
      this.total = total;
      this.startNanos = startNanos;
      this.lastDrawNanos = startNanos;
    }
  }

  ProgressRenderer(PrintWriter err, boolean terminal, int columns, LongSupplier nanoTime) {
    this.err = err;
    this.terminal = terminal;
    this.columns = columns;
    this.nanoTime = nanoTime;
  }

  @Override
  public synchronized void started(String taskId, String rawDescription, long totalBytes) {
    String description = SafeText.escape(rawDescription);
    Task t = new Task(description, totalBytes, nanoTime.getAsLong());
    tasks.put(taskId, t);
    if (terminal) {
      draw(t, true);
    } else {
      err.println(description + (totalBytes > 0 ? " (" + HumanBytes.format(totalBytes) + ")" : ""));
      err.flush();
    }
  }

  @Override
  public synchronized void progressed(String taskId, long completedBytes) {
    Task t = tasks.get(taskId);
    if (t == null) {
      return;
    }
    if (t.baseBytes < 0) {
      // rates count from the first report: a resumed transfer starts past zero
      t.baseBytes = completedBytes;
      t.baseNanos = nanoTime.getAsLong();
    }
    t.done = completedBytes;
    long now = nanoTime.getAsLong();
    if (terminal) {
      if (now - t.lastDrawNanos >= REDRAW_NANOS) {
        t.lastDrawNanos = now;
        draw(t, false);
      }
    } else if (t.total > 0) {
      int decile = (int) Math.min(10, completedBytes * 10 / t.total);
      if (decile > t.lastDecile && decile < 10) {
        t.lastDecile = decile;
        if (decile > 0) {
          err.println(plainLine(t, now));
          err.flush();
        }
      }
    } else if (now - t.lastDrawNanos >= PLAIN_INTERVAL_NANOS) {
      t.lastDrawNanos = now;
      err.println(plainLine(t, now));
      err.flush();
    }
  }

  @Override
  public synchronized void finished(String taskId) {
    Task t = tasks.remove(taskId);
    if (t == null) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (t.total > 0) {
      // finished means all of it: the last report may have come before a final jump (a sparse
      // disk's trailing hole, a compressed stream's trailer) or been throttled away
      t.done = Math.max(t.done, t.total);
    }
    double secs = Math.max(1e-9, (now - t.startNanos) / 1e9);
    double rateSecs = Math.max(1e-9, (now - (t.baseBytes < 0 ? t.startNanos : t.baseNanos)) / 1e9);
    long moved = Math.max(0, t.done - Math.max(0, t.baseBytes));
    String summary =
        t.description
            + (t.total > 0 ? ": 100% done, " : ": done, ")
            + HumanBytes.format(t.done)
            + " in "
            + duration(secs)
            + (moved > 0 ? " (" + HumanBytes.format((long) (moved / rateSecs)) + "/s)" : "");
    if (terminal) {
      clearLine();
    }
    err.println(summary);
    err.flush();
  }

  @Override
  public synchronized void note(String message) {
    if (terminal) {
      clearLine();
    }
    err.println(SafeText.escape(message));
    err.flush();
  }

  private void clearLine() {
    if (lineDirty) {
      err.print("\r" + " ".repeat(Math.max(0, columns - 1)) + "\r");
      lineDirty = false;
    }
  }

  private void draw(Task t, boolean first) {
    String status = first ? "" : status(t, nanoTime.getAsLong());
    String head = t.description;
    String bar = "";
    if (t.total > 0) {
      int width = 20;
      int filled = (int) Math.min(width, t.done * width / t.total);
      bar = " [" + "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1)) + "]";
    }
    String line = head + bar + " " + status;
    if (line.length() > columns - 1) {
      int keep = Math.max(10, columns - 1 - (bar.length() + status.length() + 2));
      line = (head.length() > keep ? head.substring(0, keep - 1) + "~" : head) + bar + " " + status;
      if (line.length() > columns - 1) {
        line = line.substring(0, columns - 1);
      }
    }
    err.print("\r" + line + " ".repeat(Math.max(0, columns - 1 - line.length())));
    err.flush();
    lineDirty = true;
  }

  /** @return e.g. {@code   download sha256:0515da6ad439: 45% 1.2 GB / 2.4 GB, 50.3 MB/s, ETA 0:24} */
  private String plainLine(Task t, long now) {
    return "  " + t.name + ": " + status(t, now).stripLeading();
  }

  /**
   * The task's name in plain progress lines: its description with each URL shortened to its last
   * path segment and each digest to its first 12 hex digits ({@code download
   * https://r.example/v2/app/blobs/sha256:0515da6ad439...} reads {@code download
   * sha256:0515da6ad439}).
   *
   * @param description the task's description, as started gave it
   * @return the short name
   */
  static String shortName(String description) {
    StringBuilder sb = new StringBuilder();
    for (String word : description.split(" ", -1)) {
      int scheme = word.indexOf("://");
      if (scheme > 0) {
        String path = word.replaceFirst("[?#].*$", "").replaceFirst("/+$", "");
        int slash = path.lastIndexOf('/');
        word = slash > scheme + 2 ? path.substring(slash + 1) : path;
      }
      sb.append(sb.length() > 0 ? " " : "").append(word);
    }
    return LONG_HEX.matcher(sb).replaceAll("$1");
  }

  /** @return e.g. {@code 45% 1.2 GB / 2.4 GB, 50.3 MB/s, ETA 0:24} */
  String status(Task t, long now) {
    double secs = (now - (t.baseBytes < 0 ? t.startNanos : t.baseNanos)) / 1e9;
    long moved = t.done - Math.max(0, t.baseBytes);
    double rate = secs > 0 ? moved / secs : 0;
    StringBuilder sb = new StringBuilder();
    if (t.total > 0) {
      sb.append(String.format(Locale.ROOT, "%3d%% ", t.done * 100 / t.total));
      sb.append(HumanBytes.format(t.done)).append(" / ").append(HumanBytes.format(t.total));
    } else {
      sb.append(HumanBytes.format(t.done));
    }
    if (rate > 0 && secs >= 0.25) {
      sb.append(", ").append(HumanBytes.format((long) rate)).append("/s");
      if (t.total > 0 && t.done < t.total) {
        sb.append(", ETA ").append(duration((t.total - t.done) / rate));
      }
    }
    return sb.toString();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
