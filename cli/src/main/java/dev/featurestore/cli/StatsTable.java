/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.CheckResult;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.Numbers;
import dev.featurestore.registry.quality.ValueCount;
import dev.featurestore.registry.quality.ViewStatistics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The readable form of {@code stats}: per view a heading (rows, window and how it was chosen) and
 * one line per feature. Timestamps show as instants (stddev in seconds), arrays their lengths.
 */
final class StatsTable {
  private static final int SHOWN_TOP_VALUES = 3;
  private static final String NONE = "-";

  private StatsTable() {}

  /**
   * What the table says of a view besides its statistics.
   *
   * @param basis how the window was chosen
   * @param checks the results of the view's checks on the statistics
   * @param freshness the freshness note, when the view declares a freshness
   */
  record Notes(String basis, List<CheckResult> checks, Optional<String> freshness) {}

  /**
   * @param notes per view, in the order of {@code statistics}
   */
  static String of(List<ViewStatistics> statistics, List<Notes> notes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < statistics.size(); i++) {
      if (i > 0) {
        text.append('\n');
      }
      view(text, statistics.get(i), notes.get(i));
    }
    return text.toString();
  }

  private static void view(StringBuilder text, ViewStatistics view, Notes notes) {
    text.append(
        String.format(
            Locale.ROOT,
            "%s: %,d rows, %s .. %s (%s)%n",
            view.view(),
            view.rows(),
            view.start().map(Instant::toString).orElse("(earliest)"),
            view.end(),
            notes.basis()));
    notes.freshness().ifPresent(f -> text.append("  ").append(f).append('\n'));
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "FEATURE",
          "TYPE",
          "ROWS",
          "NULL %",
          "DISTINCT",
          "MIN",
          "P50",
          "MAX",
          "MEAN",
          "STDDEV",
          "TOP VALUES"
        });
    for (FeatureStatistics feature : view.features()) {
      lines.add(line(feature));
    }
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int c = 0; c < line.length; c++) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder row = new StringBuilder();
      for (int c = 0; c < line.length; c++) {
        boolean left = c < 2 || c == line.length - 1;
        String cell = left ? pad(line[c], widths[c], false) : pad(line[c], widths[c], true);
        row.append(c == 0 ? "" : "  ").append(c == line.length - 1 ? line[c] : cell);
      }
      text.append(row.toString().stripTrailing()).append('\n');
    }
    List<CheckResult> failed = notes.checks().stream().filter(c -> !c.passed()).toList();
    if (!notes.checks().isEmpty()) {
      text.append(
          String.format(
              Locale.ROOT,
              "  checks: %d passed, %d failed%n",
              notes.checks().size() - failed.size(),
              failed.size()));
    }
    for (CheckResult check : failed) {
      text.append("  FAILED ").append(check.message()).append('\n');
    }
  }

  private static String[] line(FeatureStatistics feature) {
    ValueType type = feature.type();
    Optional<Numbers> numbers = type.isArray() ? feature.arrayLengths() : feature.numbers();
    Optional<Double> p50 = Optional.ofNullable(feature.quantiles().get("p50"));
    boolean time = type == ValueType.TIMESTAMP;
    String top = topValues(feature);
    if (type.isArray() && numbers.isPresent()) {
      top = "(min/max/mean/stddev of array lengths)";
    }
    return new String[] {
      feature.feature(),
      type.typeName(),
      String.format(Locale.ROOT, "%,d", feature.rows()),
      String.format(Locale.ROOT, "%.1f%%", 100 * feature.nullFraction()),
      type.isArray() ? NONE : String.format(Locale.ROOT, "%,d", feature.approxDistinct()),
      numbers.map(n -> value(n.min(), time)).orElse(NONE),
      p50.map(v -> value(v, time)).orElse(NONE),
      numbers.map(n -> value(n.max(), time)).orElse(NONE),
      numbers.map(n -> value(n.mean(), time)).orElse(NONE),
      numbers.map(n -> number(n.stddev()) + (time ? "s" : "")).orElse(NONE),
      top
    };
  }

  private static String topValues(FeatureStatistics feature) {
    if (feature.topValues().isEmpty()) {
      return "";
    }
    long nonNull = Math.max(1, feature.nonNull());
    String shown =
        feature.topValues().stream()
            .limit(SHOWN_TOP_VALUES)
            .map(v -> quote(v) + " " + percent(v.count(), nonNull))
            .collect(Collectors.joining(", "));
    return feature.topValues().size() > SHOWN_TOP_VALUES ? shown + ", ..." : shown;
  }

  private static String quote(ValueCount value) {
    return value.value().isEmpty() ? "\"\"" : value.value();
  }

  private static String percent(long count, long total) {
    return String.format(Locale.ROOT, "%.0f%%", 100.0 * count / total);
  }

  private static String value(double value, boolean time) {
    if (!time) {
      return number(value);
    }
    long micros = Math.round(value * 1e6);
    Instant instant =
        Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Integers as they are; others with 4 decimals, or in scientific notation when far from 1. */
  static String number(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) value);
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 1e6 || magnitude < 1e-3) {
      return String.format(Locale.ROOT, "%.3e", value);
    }
    String fixed = String.format(Locale.ROOT, "%.4f", value);
    return fixed.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String pad(String text, int width, boolean right) {
    String padding = " ".repeat(Math.max(0, width - text.length()));
    return right ? padding + text : text + padding;
  }
}
