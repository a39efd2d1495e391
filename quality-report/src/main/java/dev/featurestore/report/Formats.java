/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the report writes numbers, fractions and ages. */
final class Formats {
  private static final DateTimeFormatter SHORT =
      DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Formats() {}

  /** A number with at most 4 significant digits after the point, without a trailing ".0". */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) value);
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 1e6 || magnitude < 1e-3) {
      return String.format(Locale.ROOT, "%.3g", value);
    }
    String text = String.format(Locale.ROOT, "%.4f", value);
    return text.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** An instant given in epoch seconds, to the second: {@code 2026-12-02T05:00:00Z}. */
  static String instant(double epochSeconds) {
    return Instant.ofEpochSecond(Math.round(epochSeconds)).toString();
  }

  /** An instant given in epoch seconds, short for a chart axis: {@code 12-02 05:00}. */
  static String shortInstant(double epochSeconds) {
    return SHORT.format(Instant.ofEpochSecond(Math.round(epochSeconds)));
  }

  /** A count with thousands separators: {@code 1,234,567}. */
  static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  /** A fraction as a percentage: {@code 7.3%}. */
  static String percent(double fraction) {
    return number(Math.round(fraction * 1000.0) / 10.0) + "%";
  }

  /** A duration the way people read ages: {@code 3d 4h}, {@code 2h 5m}, {@code 42s}. */
  static String age(Duration duration) {
    boolean negative = duration.isNegative();
    Duration d = duration.abs();
    String text;
    if (d.toDays() > 0) {
      text = d.toDays() + "d " + d.toHoursPart() + "h";
    } else if (d.toHours() > 0) {
      text = d.toHours() + "h " + d.toMinutesPart() + "m";
    } else if (d.toMinutes() > 0) {
      text = d.toMinutes() + "m " + d.toSecondsPart() + "s";
    } else {
      text = d.toSeconds() + "s";
    }
    return negative ? "-" + text : text;
  }
}
