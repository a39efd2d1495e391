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
 * @param indexLimit views on the same keys whose sources hold at most this many rows (by their
 *     Parquet footers; or, once reduced with the entity pairs, at most this many rows can remain)
 *     are collected, indexed and broadcast, and every entity row finds its features where it is,
 *     with no shuffle or sort (like a broadcast hash join); 0 never does. The driver also needs the
 *     estimated index to fit in an eighth of its heap
 */
public record TrainingSetOptions(
    boolean fullFeatureNames,
    String timestampColumn,
    Map<String, String> joinKeyMap,
    long broadcastLimit,
    long indexLimit) {
  /** The default entity timestamp column. */
  public static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

  /** The default {@link #broadcastLimit()}: 2,000,000 pairs (about 50 MB to broadcast). */
  public static final long DEFAULT_BROADCAST_LIMIT = 2_000_000;

  /** The default {@link #indexLimit()}: 4,000,000 source rows. */
  public static final long DEFAULT_INDEX_LIMIT = 4_000_000;

  public TrainingSetOptions {
    requireNonNull(timestampColumn, "timestampColumn is null");
    joinKeyMap = Map.copyOf(requireNonNull(joinKeyMap, "joinKeyMap is null"));
    if (broadcastLimit < 0) {
      throw new IllegalArgumentException("broadcastLimit must be >= 0, got " + broadcastLimit);
    }
    if (indexLimit < 0) {
      throw new IllegalArgumentException("indexLimit must be >= 0, got " + indexLimit);
    }
  }

  /** These options with the default {@link #broadcastLimit()} and {@link #indexLimit()}. */
  public TrainingSetOptions(
      boolean fullFeatureNames, String timestampColumn, Map<String, String> joinKeyMap) {
    this(
        fullFeatureNames,
        timestampColumn,
        joinKeyMap,
        DEFAULT_BROADCAST_LIMIT,
        DEFAULT_INDEX_LIMIT);
  }

  /** Short feature names, {@value #DEFAULT_TIMESTAMP_COLUMN}, no key renames. */
  public static TrainingSetOptions defaults() {
    return new TrainingSetOptions(false, DEFAULT_TIMESTAMP_COLUMN, Map.of());
  }

  /** Returns a copy with this {@link #broadcastLimit()} (0: never broadcast). */
  public TrainingSetOptions withBroadcastLimit(long pairs) {
    return new TrainingSetOptions(fullFeatureNames, timestampColumn, joinKeyMap, pairs, indexLimit);
  }

  /** Returns a copy with this {@link #indexLimit()} (0: never index a view's rows). */
  public TrainingSetOptions withIndexLimit(long rows) {
    return new TrainingSetOptions(
        fullFeatureNames, timestampColumn, joinKeyMap, broadcastLimit, rows);
  }

  /** Returns a copy that names feature columns {@code view__feature}. */
  public TrainingSetOptions withFullFeatureNames() {
    return new TrainingSetOptions(true, timestampColumn, joinKeyMap, broadcastLimit, indexLimit);
  }

  /** Returns a copy that reads the entity timestamp from {@code column}. */
  public TrainingSetOptions withTimestampColumn(String column) {
    return new TrainingSetOptions(fullFeatureNames, column, joinKeyMap, broadcastLimit, indexLimit);
  }

  /** Returns a copy with these entity column to join key renames. */
  public TrainingSetOptions withJoinKeyMap(Map<String, String> columnToJoinKey) {
    return new TrainingSetOptions(
        fullFeatureNames, timestampColumn, columnToJoinKey, broadcastLimit, indexLimit);
  }
}
