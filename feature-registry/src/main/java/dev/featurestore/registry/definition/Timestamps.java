/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one reading of a timestamp written as text, for every input that carries timestamps as text
 * (CSV entity files, pushed rows): ISO-8601 with {@code T} or a space between date and time ({@code
 * 2024-01-01T10:00:00Z}, {@code 2024-01-01 12:00:00.250+02:00}, what Python's {@code str(datetime)}
 * writes), an optional fraction of up to nine digits, an optional offset (none means UTC, whatever
 * the JVM's time zone), or a date alone (its midnight UTC).
 */
public final class Timestamps {
  /** What {@link #parse} accepts, for error messages. */
  public static final String HINT =
      "ISO-8601 such as 2024-01-01T10:00:00Z or 2024-01-01 10:00:00.123456+02:00 (no offset:"
          + " UTC)";

  private Timestamps() {}

  /** Parses text as described above; empty when it is not such a timestamp. */
  public static Optional<Instant> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String value = text.trim();
    if (value.length() > 10 && value.charAt(10) == ' ') {
      value = value.substring(0, 10) + 'T' + value.substring(11);
    }
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException withoutOffset) {
      try {
        return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException notADateTime) {
        try {
          return Optional.of(LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException notADate) {
          return Optional.empty();
        }
      }
    }
  }
}
