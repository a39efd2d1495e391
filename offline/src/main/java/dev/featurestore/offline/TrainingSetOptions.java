/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How to read the entity dataframe and name the output columns of a training set.
 *
 * @param fullFeatureNames name feature columns {@code view__feature} instead of {@code feature}
 * @param timestampColumn the entity dataframe's event timestamp column
 * @param joinKeyMap entity dataframe column to join key, for key columns named differently from the
 *     entity's join key (e.g. {@code driver -> driver_id}); unmapped join keys are read from the
 *     column of the same name
 */
public record TrainingSetOptions(
    boolean fullFeatureNames, String timestampColumn, Map<String, String> joinKeyMap) {
  /** The default entity timestamp column. */
  public static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

  public TrainingSetOptions {
    requireNonNull(timestampColumn, "timestampColumn is null");
    joinKeyMap = Map.copyOf(requireNonNull(joinKeyMap, "joinKeyMap is null"));
  }

  /** Short feature names, {@value #DEFAULT_TIMESTAMP_COLUMN}, no key renames. */
  public static TrainingSetOptions defaults() {
    return new TrainingSetOptions(false, DEFAULT_TIMESTAMP_COLUMN, Map.of());
  }

  /** Returns a copy that names feature columns {@code view__feature}. */
  public TrainingSetOptions withFullFeatureNames() {
    return new TrainingSetOptions(true, timestampColumn, joinKeyMap);
  }

  /** Returns a copy that reads the entity timestamp from {@code column}. */
  public TrainingSetOptions withTimestampColumn(String column) {
    return new TrainingSetOptions(fullFeatureNames, column, joinKeyMap);
  }

  /** Returns a copy with these entity column to join key renames. */
  public TrainingSetOptions withJoinKeyMap(Map<String, String> columnToJoinKey) {
    return new TrainingSetOptions(fullFeatureNames, timestampColumn, columnToJoinKey);
  }
}
