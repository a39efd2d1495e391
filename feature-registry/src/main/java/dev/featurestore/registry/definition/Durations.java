/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in definition files: {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}, an
 * ISO-8601 duration ({@code PT2H}, {@code P7D}), or {@code 0} for "no limit".
 */
public final class Durations {
  /** The hint shown for an invalid duration. */
  public static final String HINT =
      "use a number with a unit (30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or P7D,"
          + " or 0 for no limit";

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhd])");

  private Durations() {}

  /** Parses a duration; empty when the text is not a valid, non-negative duration. */
  public static Optional<Duration> parse(String text) {
    String value = text.trim();
    if (value.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher matcher = SHORT.matcher(value);
    try {
      if (matcher.matches()) {
        long amount = Long.parseLong(matcher.group(1));
        return Optional.of(
            switch (matcher.group(2)) {
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            });
      }
      Duration parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
      return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
    } catch (DateTimeParseException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  /**
   * Formats a duration in the shortest form {@link #parse} accepts: {@code 0}, {@code 7d}, {@code
   * 2h}, {@code 15m}, {@code 30s}, else ISO-8601.
   */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0";
    }
    long seconds = duration.getSeconds();
    if (duration.getNano() != 0) {
      return duration.toString();
    }
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
