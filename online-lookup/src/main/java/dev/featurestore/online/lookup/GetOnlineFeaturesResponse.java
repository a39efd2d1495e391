/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.lookup;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer of {@code POST /get-online-features}, shaped as Feast's feature server answers: one
 * result per output column (join keys first, then features in the order asked), each holding one
 * entry per entity row.
 */
public record GetOnlineFeaturesResponse(Metadata metadata, List<FeatureVector> results) {
  public GetOnlineFeaturesResponse {
    results = List.copyOf(results);
  }

  /** The output column names. */
  public record Metadata(@JsonProperty("feature_names") List<String> featureNames) {
    public Metadata {
      featureNames = List.copyOf(featureNames);
    }
  }

  /**
   * One output column.
   *
   * @param values a value per entity row (null where there is none)
   * @param statuses a status per entity row
   * @param eventTimestamps the event timestamp of each value (RFC 3339, UTC); the epoch for join
   *     keys and missing values
   */
  public record FeatureVector(
      List<Object> values,
      List<FieldStatus> statuses,
      @JsonProperty("event_timestamps") List<String> eventTimestamps) {}

  /** Feast's field statuses. */
  public enum FieldStatus {
    /** The value was found and is fresh. */
    PRESENT,
    /** The entity has a fresh row, but this feature is null in it. */
    NULL_VALUE,
    /** No value is stored for the entity. */
    NOT_FOUND,
    /** The stored value is older than the view's TTL; the value is null. */
    OUTSIDE_MAX_AGE
  }
}
