/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer;

import dev.featurestore.materializer.internal.PartitionWriter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A driver thread that prints one progress line per interval while a view is written, from the
 * job's accumulators (they advance as write tasks finish).
 */
final class Progress implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;

  private Progress(
      PrintStream out,
      String view,
      long totalRows,
      PartitionWriter.Counters counters,
      Duration interval) {
    long startNanos = System.nanoTime();
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                if (running) {
                  out.println(line(view, totalRows, counters, System.nanoTime() - startNanos));
                }
              }
            },
            "materialize-progress");
    thread.setDaemon(true);
  }

  static Progress start(
      PrintStream out,
      String view,
      long totalRows,
      PartitionWriter.Counters counters,
      Duration interval) {
    Progress progress = new Progress(out, view, totalRows, counters, interval);
    if (!interval.isZero() && !interval.isNegative() && out != null) {
      progress.thread.start();
    }
    return progress;
  }

  static String line(
      String view, long totalRows, PartitionWriter.Counters counters, long elapsedNanos) {
    long read = counters.rowsRead().value();
    long written = counters.keysWritten().value();
    double seconds = Math.max(elapsedNanos / 1e9, 1e-3);
    if (read == 0) {
      // Counts advance as write tasks finish; until then Spark reads, shuffles and sorts.
      return String.format(
          Locale.ROOT,
          "[%s] reading %,d rows, grouping them by key and writing (%.0fs)",
          view,
          totalRows,
          seconds);
    }
    double rate = read / seconds;
    String eta =
        read == 0 ? "?" : formatSeconds(Math.max(0, totalRows - read) / Math.max(rate, 1e-9));
    return String.format(
        Locale.ROOT,
        "[%s] %,d/%,d rows read (%.0f%%), %,d keys written, %,.0f rows/s, %,.0f keys/s, ETA %s",
        view,
        read,
        totalRows,
        totalRows == 0 ? 100.0 : 100.0 * read / totalRows,
        written,
        rate,
        written / seconds,
        eta);
  }

  private static String formatSeconds(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
