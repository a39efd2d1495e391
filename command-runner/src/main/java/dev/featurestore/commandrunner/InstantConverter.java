/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.commandrunner;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/**
 * Parses a time option ({@code --start}, {@code --end}): an ISO-8601 instant such as {@code
 * 2026-11-22T07:00:00Z}, or {@code now}. Anything else is a usage error (exit {@value
 * CommandRunner#USAGE}) whose message shows the expected form.
 */
public final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    if (value.equalsIgnoreCase("now")) {
      return Instant.now();
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not an ISO-8601 instant such as 2026-11-22T07:00:00Z, or 'now'");
    }
  }
}
