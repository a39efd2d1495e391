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
 * @param broadcastLimit up to this many distinct (join keys, timestamp) pairs of entity rows, the
 *     pairs are collected and broadcast so that source rows no entity row can pick are dropped
 *     before the shuffle (like a broadcast join: much less to sort); above it, or at 0, every
 *     source row in the time range is shuffled and sorted. Views on the same keys whose sources
 *     hold fewer than 4 rows per entity row (by their Parquet footers) skip this step too, since
 *     there it costs more than it saves (docs/offline.md, "How it works")
 */
public record TrainingSetOptions(
    boolean fullFeatureNames,
    String timestampColumn,
    Map<String, String> joinKeyMap,
    long broadcastLimit) {
  /** The default entity timestamp column. */
  public static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

  /** The default {@link #broadcastLimit()}: 2,000,000 pairs (about 50 MB to broadcast). */
  public static final long DEFAULT_BROADCAST_LIMIT = 2_000_000;

  public TrainingSetOptions {
    requireNonNull(timestampColumn, "timestampColumn is null");
    joinKeyMap = Map.copyOf(requireNonNull(joinKeyMap, "joinKeyMap is null"));
    if (broadcastLimit < 0) {
      throw new IllegalArgumentException("broadcastLimit must be >= 0, got " + broadcastLimit);
    }
  }

  /** These options with the default {@link #broadcastLimit()}. */
  public TrainingSetOptions(
      boolean fullFeatureNames, String timestampColumn, Map<String, String> joinKeyMap) {
    this(fullFeatureNames, timestampColumn, joinKeyMap, DEFAULT_BROADCAST_LIMIT);
  }

  /** Short feature names, {@value #DEFAULT_TIMESTAMP_COLUMN}, no key renames. */
  public static TrainingSetOptions defaults() {
    return new TrainingSetOptions(false, DEFAULT_TIMESTAMP_COLUMN, Map.of());
  }

  /** Returns a copy with this {@link #broadcastLimit()} (0: never broadcast). */
  public TrainingSetOptions withBroadcastLimit(long pairs) {
    return new TrainingSetOptions(fullFeatureNames, timestampColumn, joinKeyMap, pairs);
  }

  /** Returns a copy that names feature columns {@code view__feature}. */
  public TrainingSetOptions withFullFeatureNames() {
    return new TrainingSetOptions(true, timestampColumn, joinKeyMap, broadcastLimit);
  }

  /** Returns a copy that reads the entity timestamp from {@code column}. */
  public TrainingSetOptions withTimestampColumn(String column) {
    return new TrainingSetOptions(fullFeatureNames, column, joinKeyMap, broadcastLimit);
  }

  /** Returns a copy with these entity column to join key renames. */
  public TrainingSetOptions withJoinKeyMap(Map<String, String> columnToJoinKey) {
    return new TrainingSetOptions(
        fullFeatureNames, timestampColumn, columnToJoinKey, broadcastLimit);
  }
}
