/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.cli;

import dev.featurestore.registry.definition.ValueType;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Value equality of {@code verify}, on values as the online codec decodes them (the offline value
 * is encoded and decoded with the same codec first): equal when both are null; floats and doubles
 * when their bits are equal ({@link Float#floatToIntBits}: every NaN equals NaN, 0.0 differs from
 * -0.0, no tolerance); bytes byte by byte; arrays of equal length with equal elements in order
 * (null elements included); timestamps as microseconds since the epoch; anything else with {@code
 * equals}.
 */
final class VerifyValues {
  private VerifyValues() {}

  static boolean same(Object online, Object offline) {
    if (online == null || offline == null) {
      return online == null && offline == null;
    }
    if (online instanceof Float a && offline instanceof Float b) {
      return Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }
    if (online instanceof Double a && offline instanceof Double b) {
      return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }
    if (online instanceof byte[] a && offline instanceof byte[] b) {
      return Arrays.equals(a, b);
    }
    if (online instanceof List<?> a && offline instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return online.equals(offline);
  }

  /**
   * A value of a collected Spark row as the store's canonical Java value (what an aggregated view's
   * tiles give online): timestamps as microseconds since the epoch, arrays as lists of canonical
   * elements, anything else as it is.
   */
  static Object canonical(Object value) {
    if (value instanceof Timestamp timestamp) {
      return micros(timestamp.toInstant());
    }
    if (value instanceof Instant instant) {
      return micros(instant);
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      for (Object item : list) {
        items.add(canonical(item));
      }
      return items;
    }
    return value;
  }

  /** A decoded value as the report shows it: timestamps ISO-8601, bytes base64. */
  static Object shown(ValueType type, Object value) {
    if (value == null) {
      return null;
    }
    if (type == ValueType.TIMESTAMP) {
      return instant((Long) value).toString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      for (Object item : list) {
        items.add(shown(type.elementType().orElse(type), item));
      }
      return items;
    }
    return value;
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }
}
