/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of the feature store, for TTLs, grace periods, intervals and timeouts in
 * definition files, command-line options and {@code --conf} settings (docs/registry.md,
 * "Durations"):
 *
 * <ul>
 *   <li>a whole number and a unit: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}
 *       (units in lower case; spaces around the number and the unit are ignored);
 *   <li>an ISO-8601 duration as {@link Duration#parse} reads it, in any case: {@code PT2H}, {@code
 *       P7D}, {@code PT1H30M}, {@code PT0.5S};
 *   <li>{@code 0}, zero (what zero means, "no limit" for a TTL, "never" for an interval, is the
 *       caller's).
 * </ul>
 *
 * Negative durations, fractions ({@code 1.5h}), other units ({@code 1w}, {@code 2H}), bare numbers
 * other than {@code 0} and values beyond {@link Duration}'s range are invalid.
 */
public final class Durations {
  /** What the grammar accepts, in words, to follow "expected". */
  public static final String SYNTAX =
      "a whole number with a unit (500ms, 30s, 15m, 2h, 7d), an ISO-8601 duration such as PT2H or"
          + " P7D, or 0";

  /** The hint shown for an invalid duration. */
  public static final String HINT = "use " + SYNTAX;

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

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
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            });
      }
      Duration parsed = Duration.parse(value.toUpperCase(Locale.ROOT));
      return parsed.isNegative() ? Optional.empty() : Optional.of(parsed);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      // NumberFormatException: more digits than a long holds; ArithmeticException: beyond
      // Duration's range. Both are out of range, which the grammar calls invalid.
      return Optional.empty();
    }
  }

  /**
   * Parses the duration of a setting or an option.
   *
   * @param key the setting or option, named in the error ({@code materializer.expiry-grace})
   * @throws FeatureStoreException INVALID_ARGUMENT {@code Invalid value '<text>' for <key>:
   *     expected <SYNTAX>} when the text is not a duration
   */
  public static Duration parse(String text, String key) {
    return parse(text)
        .orElseThrow(
            () ->
                FeatureStoreException.of(
                    ErrorCode.INVALID_ARGUMENT,
                    "Invalid value '%s' for %s: expected %s",
                    text,
                    key,
                    SYNTAX));
  }

  /**
   * Formats a duration in the shortest form {@link #parse} accepts: {@code 0}, {@code 7d}, {@code
   * 2h}, {@code 15m}, {@code 30s}, else ISO-8601 (so {@code 1500ms} is shown as {@code PT1.5S}).
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
