/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation;

import dev.featurestore.registry.definition.ValueType;
import java.util.Comparator;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;

/** The order of canonical values and of latest values, and how values enter a sketch. */
final class Values {
  private Values() {}

  /** Compares two non-null values of one type (doubles as {@link Double#compare}). */
  static int compare(ValueType type, Object a, Object b) {
    return switch (type) {
      case INT32 -> Integer.compare((Integer) a, (Integer) b);
      case INT64, TIMESTAMP -> Long.compare((Long) a, (Long) b);
      case FLOAT32 -> Float.compare((Float) a, (Float) b);
      case FLOAT64 -> Double.compare((Double) a, (Double) b);
      case STRING -> ((String) a).compareTo((String) b);
      case BOOL -> Boolean.compare((Boolean) a, (Boolean) b);
      default -> throw new IllegalArgumentException("Cannot compare values of type " + type);
    };
  }

  /** Newest first: event time, then created time, then the greatest value. */
  static Comparator<Tile.Latest> newestFirst(ValueType type) {
    return (a, b) -> {
      int byEvent = Long.compare(b.eventMicros(), a.eventMicros());
      if (byEvent != 0) {
        return byEvent;
      }
      int byCreated = Long.compare(b.createdMicros(), a.createdMicros());
      return byCreated != 0 ? byCreated : compare(type, b.value(), a.value());
    };
  }

  /** Inserts a value into a newest-first list holding at most {@code keep} values. */
  static void offer(List<Tile.Latest> latest, Tile.Latest value, int keep, ValueType type) {
    Comparator<Tile.Latest> order = newestFirst(type);
    int at = latest.size();
    while (at > 0 && order.compare(value, latest.get(at - 1)) < 0) {
      at--;
    }
    if (at < keep) {
      latest.add(at, value);
      if (latest.size() > keep) {
        latest.remove(latest.size() - 1);
      }
    }
  }

  static void update(HllSketch sketch, ValueType type, Object value) {
    switch (type) {
      case INT32, INT64, TIMESTAMP -> sketch.update(((Number) value).longValue());
      case FLOAT32, FLOAT64 -> sketch.update(((Number) value).doubleValue());
      case STRING -> sketch.update((String) value);
      case BOOL -> sketch.update((Boolean) value ? 1L : 0L);
      default -> throw new IllegalArgumentException("Cannot count distinct values of " + type);
    }
  }
}
