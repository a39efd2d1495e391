/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Orders source rows that have the same keys and event timestamp; the greatest one wins. The order:
 * created timestamp (a missing one is the smallest), then the feature values in the view's
 * declaration order, each compared with nulls smallest, numbers numerically ({@code NaN} largest,
 * as {@link Double#compare}), false before true, strings by {@link String#compareTo}, bytes as
 * unsigned, timestamps by instant, arrays element by element and then by length. Rows equal under
 * this order hold the same values, so whichever is picked gives the same output.
 */
public final class TieBreak {
  private TieBreak() {}

  /** Compares two source rows of one view with equal keys and event timestamps. */
  public static int compare(Long createdA, Object[] valuesA, Long createdB, Object[] valuesB) {
    int byCreated = compareValues(createdA, createdB);
    if (byCreated != 0) {
      return byCreated;
    }
    for (int i = 0; i < valuesA.length; i++) {
      int byValue = compareValues(valuesA[i], valuesB[i]);
      if (byValue != 0) {
        return byValue;
      }
    }
    return 0;
  }

  /** Compares two feature values of the same type. */
  public static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof Integer x) {
      return Integer.compare(x, (Integer) b);
    }
    if (a instanceof Long x) {
      return Long.compare(x, (Long) b);
    }
    if (a instanceof Float x) {
      return Float.compare(x, (Float) b);
    }
    if (a instanceof Double x) {
      return Double.compare(x, (Double) b);
    }
    if (a instanceof Boolean x) {
      return Boolean.compare(x, (Boolean) b);
    }
    if (a instanceof String x) {
      return x.compareTo((String) b);
    }
    if (a instanceof byte[] x) {
      return Arrays.compareUnsigned(x, (byte[]) b);
    }
    if (a instanceof Timestamp x) {
      return x.compareTo((Timestamp) b);
    }
    if (a instanceof Instant x) {
      return x.compareTo((Instant) b);
    }
    if (a instanceof Seq<?> x) {
      return compareLists(CollectionConverters.asJava(x), CollectionConverters.asJava((Seq<?>) b));
    }
    if (a instanceof List<?> x) {
      return compareLists(x, (List<?>) b);
    }
    throw new IllegalArgumentException("Cannot compare values of type " + a.getClass().getName());
  }

  private static int compareLists(List<?> a, List<?> b) {
    int common = Math.min(a.size(), b.size());
    for (int i = 0; i < common; i++) {
      int byElement = compareValues(a.get(i), b.get(i));
      if (byElement != 0) {
        return byElement;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
