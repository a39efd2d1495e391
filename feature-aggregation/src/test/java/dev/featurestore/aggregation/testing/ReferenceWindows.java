/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.aggregation.testing;

import dev.featurestore.aggregation.Windows;
import dev.featurestore.registry.definition.Aggregation;
import dev.featurestore.registry.definition.FeatureView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The plain reference of windowed aggregations: each value computed straight from the raw events by
 * the contract (docs/aggregations.md), with no tiles, exact sums and an exact distinct count. Tests
 * compare the store's values with it (floats with a tolerance, distinct counts within the sketch's
 * error).
 */
public final class ReferenceWindows {
  private ReferenceWindows() {}

  /**
   * One raw event of one entity.
   *
   * @param eventMicros event timestamp
   * @param createdMicros created timestamp, {@code Long.MIN_VALUE} when none
   * @param values source column name to canonical value (absent or null: null)
   */
  public record Event(long eventMicros, long createdMicros, Map<String, Object> values) {}

  /** Each aggregation's value as of {@code asOfMicros}, in declaration order. */
  public static List<Object> valuesAsOf(FeatureView view, List<Event> events, long asOfMicros) {
    List<Object> values = new ArrayList<>();
    for (Aggregation aggregation : view.aggregations().orElseThrow().aggregations()) {
      values.add(valueAsOf(view, aggregation, events, asOfMicros));
    }
    return values;
  }

  /** The newest event time each aggregation's window covers; {@code Long.MIN_VALUE} if none. */
  public static List<Long> newestEventsAsOf(FeatureView view, List<Event> events, long asOfMicros) {
    List<Long> newest = new ArrayList<>();
    for (Aggregation aggregation : view.aggregations().orElseThrow().aggregations()) {
      newest.add(
          inWindow(view, aggregation, events, asOfMicros).stream()
              .mapToLong(Event::eventMicros)
              .max()
              .orElse(Long.MIN_VALUE));
    }
    return newest;
  }

  private static List<Event> inWindow(
      FeatureView view, Aggregation aggregation, List<Event> events, long asOfMicros) {
    long interval = Windows.micros(view.aggregations().orElseThrow().interval());
    long window = Windows.micros(aggregation.window());
    return events.stream()
        .filter(e -> Windows.covers(e.eventMicros(), asOfMicros, window, interval))
        .toList();
  }

  /** One aggregation's value as of {@code asOfMicros}. */
  public static Object valueAsOf(
      FeatureView view, Aggregation aggregation, List<Event> events, long asOfMicros) {
    List<Event> window = inWindow(view, aggregation, events, asOfMicros);
    if (aggregation.column().isEmpty()) {
      return (long) window.size();
    }
    String column = aggregation.column().get();
    List<Event> present = window.stream().filter(e -> e.values().get(column) != null).toList();
    List<Object> values = present.stream().map(e -> e.values().get(column)).toList();
    boolean integers =
        switch (aggregation.columnType().orElseThrow()) {
          case INT32, INT64 -> true;
          default -> false;
        };
    switch (aggregation.function()) {
      case COUNT:
        return (long) values.size();
      case APPROX_COUNT_DISTINCT:
        return (long) new HashSet<>(values).size();
      default:
        break;
    }
    if (values.isEmpty()) {
      return null;
    }
    // Sums only for the functions that have one: min, max and last also take strings.
    boolean sums =
        switch (aggregation.function()) {
          case SUM, AVG, STDDEV -> true;
          default -> false;
        };
    BigDecimal sum = BigDecimal.ZERO;
    for (Object value : sums ? values : List.of()) {
      sum = sum.add(exact(value, integers));
    }
    switch (aggregation.function()) {
      case SUM:
        return integers ? (Object) sum.longValue() : (Object) sum.doubleValue();
      case AVG:
        return sum.divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128).doubleValue();
      case STDDEV:
        {
          if (values.size() < 2) {
            return null;
          }
          BigDecimal mean = sum.divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128);
          BigDecimal squares = BigDecimal.ZERO;
          for (Object value : values) {
            BigDecimal d = exact(value, integers).subtract(mean);
            squares = squares.add(d.multiply(d));
          }
          return Math.sqrt(
              squares
                  .divide(BigDecimal.valueOf(values.size() - 1L), MathContext.DECIMAL128)
                  .doubleValue());
        }
      case MIN:
        return values.stream().min(ReferenceWindows::compare).orElseThrow();
      case MAX:
        return values.stream().max(ReferenceWindows::compare).orElseThrow();
      case LAST:
        return newestFirst(present, column).get(0).values().get(column);
      case LAST_N:
        return newestFirst(present, column).stream()
            .limit(aggregation.n())
            .map(e -> e.values().get(column))
            .toList();
      default:
        throw new IllegalStateException("Unknown function " + aggregation.function());
    }
  }

  private static List<Event> newestFirst(List<Event> present, String column) {
    Comparator<Event> order =
        Comparator.comparingLong(Event::eventMicros)
            .thenComparingLong(Event::createdMicros)
            .thenComparing(e -> e.values().get(column), ReferenceWindows::compare);
    return present.stream().sorted(order.reversed()).toList();
  }

  private static BigDecimal exact(Object value, boolean integers) {
    return integers
        ? BigDecimal.valueOf(((Number) value).longValue())
        : new BigDecimal(((Number) value).doubleValue());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    Objects.requireNonNull(a);
    return ((Comparable) a).compareTo(b);
  }
}
