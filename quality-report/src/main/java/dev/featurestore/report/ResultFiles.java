/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the JSON results of {@code drift --json} and {@code verify --json} for the report. */
public final class ResultFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ResultFiles() {}

  /**
   * Reads the output of {@code featurestore drift --json}.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT naming the file (and the line and column of a
   *     JSON error) when it is missing, unreadable or not such results
   */
  public static DriftResults drift(Path file) {
    return read(file, DriftResults.class, "drift results", "featurestore drift --json");
  }

  /**
   * Reads the output of {@code featurestore verify --json}.
   *
   * @throws FeatureStoreException INVALID_ARGUMENT as {@link #drift}
   */
  public static VerifyResults verify(Path file) {
    return read(file, VerifyResults.class, "verify results", "featurestore verify --json");
  }

  private static <T> T read(Path file, Class<T> type, String what, String command) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, e, "Cannot read the %s %s: no such file", what, file);
    } catch (IOException e) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT, e, "Cannot read the %s %s: %s", what, file, e.toString());
    }
    try {
      return JSON.readValue(text, type);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null
              ? ""
              : String.format(" at line %d, column %d", at.getLineNr(), at.getColumnNr());
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          e,
          "Cannot read the %s %s%s: %s (expected the output of '%s')",
          what,
          file,
          where,
          e.getOriginalMessage().lines().findFirst().orElse(""),
          command);
    }
  }
}
