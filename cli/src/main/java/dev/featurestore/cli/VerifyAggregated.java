/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.AggregationFunction;
import dev.featurestore.registry.definition.Aggregations;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.ValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * The offline side of {@code verify} for an aggregated view. Its values are computed as of the
 * lookup time by the training-set code; the newest event each window covers is computed with them,
 * as one more aggregation per window: {@code max} of the source's event timestamp column (the value
 * the online service reports as an aggregation's event timestamp).
 */
final class VerifyAggregated {
  private static final String NEWEST = "__verify_newest_event_";

  private VerifyAggregated() {}

  /** The view with one {@code max(timestamp field)} aggregation per distinct window, appended. */
  static FeatureView withNewestEvents(FeatureView view, String timestampField) {
    Aggregations aggregations = view.aggregations().orElseThrow();
    List<Aggregation> all = new ArrayList<>(aggregations.aggregations());
    List<Duration> windows = windows(view);
    for (int w = 0; w < windows.size(); w++) {
      all.add(
          new Aggregation(
              NEWEST + w,
              AggregationFunction.MAX,
              Optional.of(timestampField),
              Optional.of(ValueType.TIMESTAMP),
              windows.get(w),
              0,
              ""));
    }
    return view.withAggregations(Optional.of(new Aggregations(aggregations.interval(), all)));
  }

  /**
   * Per aggregation of {@code view} (the view as defined), the newest event its window covers in a
   * row of {@link #withNewestEvents} joined with full feature names; {@link Long#MIN_VALUE} for an
   * empty window.
   */
  static long[] newestEvents(FeatureView view, Row row) {
    List<Duration> windows = windows(view);
    List<Aggregation> aggregations = view.aggregations().orElseThrow().aggregations();
    long[] newest = new long[aggregations.size()];
    for (int a = 0; a < newest.length; a++) {
      int index =
          row.fieldIndex(
              view.name() + "__" + NEWEST + windows.indexOf(aggregations.get(a).window()));
      Object value = row.get(index);
      newest[a] = value == null ? Long.MIN_VALUE : (Long) VerifyValues.canonical(value);
    }
    return newest;
  }

  /** The newest event any window of the view covers, {@link Long#MIN_VALUE} when none does. */
  static long newestEvent(long[] newestEvents) {
    long newest = Long.MIN_VALUE;
    for (long event : newestEvents) {
      newest = Math.max(newest, event);
    }
    return newest;
  }

  /** The view's aggregation values in a joined row, as canonical values (as online serves them). */
  static List<Object> values(FeatureView view, Row row) {
    List<Aggregation> aggregations = view.aggregations().orElseThrow().aggregations();
    List<Object> values = new ArrayList<>(aggregations.size());
    for (Aggregation aggregation : aggregations) {
      int index = row.fieldIndex(view.name() + "__" + aggregation.name());
      ValueType type = aggregation.outputType();
      values.add(
          row.isNullAt(index)
              ? null
              : VerifyValues.canonical(type.isArray() ? row.getList(index) : row.get(index)));
    }
    return values;
  }

  /** The distinct windows of the view's aggregations, in order of first use. */
  private static List<Duration> windows(FeatureView view) {
    List<Duration> windows = new ArrayList<>();
    for (Aggregation aggregation : view.aggregations().orElseThrow().aggregations()) {
      if (!windows.contains(aggregation.window())) {
        windows.add(aggregation.window());
      }
    }
    return windows;
  }
}
