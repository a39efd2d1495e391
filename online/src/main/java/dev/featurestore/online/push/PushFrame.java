/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.online.push;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.Names;
import dev.featurestore.registry.definition.Timestamps;
import dev.featurestore.registry.definition.ValueType;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The {@code df} of a push, checked and converted before anything is written: a JSON object of
 * columns, each a list with one value per row ({@code {"driver_id": [1001, 1002], ...}}, what
 * pandas' {@code to_dict(orient="list")} gives).
 *
 * <p>Every column a push needs must be there, all columns have one length, and every value must fit
 * its column's type, else the push is refused naming the column and row: integers for int32 and
 * int64 (in range), numbers (or {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}) for float32
 * and float64, strings, booleans, base64 strings for bytes, lists for arrays (null elements
 * allowed), and for timestamps ISO-8601 text ({@link Timestamps}) or epoch seconds. Nulls are
 * allowed in feature columns only. Columns the push does not use are ignored (and reported).
 *
 * <p>Values become the Java types the registry's codec and the Parquet appender take: {@code Long}
 * for integers, {@code Double} for floats, {@code String}, {@code Boolean}, {@code byte[]}, {@link
 * Instant} for timestamps, {@code List} for arrays.
 */
final class PushFrame {
  // Timestamps are stored as epoch microseconds in a long (online values, Parquet files).
  private static final Instant MIN_TIME = Instant.ofEpochSecond(Long.MIN_VALUE / 1_000_000);
  private static final Instant MAX_TIME =
      Instant.ofEpochSecond(Long.MAX_VALUE / 1_000_000, Long.MAX_VALUE % 1_000_000 * 1_000);

  /**
   * What a push needs of one column.
   *
   * @param type the column's type
   * @param required whether the column must be sent (else it may be missing: the created timestamp)
   * @param nullable whether its values may be null (features; not join keys or the event timestamp)
   * @param neededBy who needs it, for messages ({@code "feature view 'v'"})
   */
  record Needed(ValueType type, boolean required, boolean nullable, String neededBy) {}

  private final int rows;
  private final Map<String, List<Object>> columns;
  private final List<String> ignored;

  private PushFrame(int rows, Map<String, List<Object>> columns, List<String> ignored) {
    this.rows = rows;
    this.columns = columns;
    this.ignored = List.copyOf(ignored);
  }

  /** The number of rows. */
  int rows() {
    return rows;
  }

  /** A column's converted values, empty when the push did not send it. */
  Optional<List<Object>> column(String name) {
    return Optional.ofNullable(columns.get(name));
  }

  /** Columns sent but not used, in request order. */
  List<String> ignored() {
    return ignored;
  }

  /**
   * Checks and converts a {@code df}.
   *
   * @param action what is refused, for messages ({@code "Cannot push to source 's'"})
   * @param needed the columns the push uses, by name
   * @throws FeatureStoreException INVALID_ARGUMENT naming the column and row; LIMIT_EXCEEDED for
   *     more than {@code maxRows} rows
   */
  static PushFrame parse(String action, JsonNode df, Map<String, Needed> needed, int maxRows) {
    if (df == null || df.isMissingNode() || df.isNull()) {
      throw invalid(action, "'df' is missing; give the rows as {\"column\": [values...], ...}");
    }
    if (!df.isObject()) {
      throw invalid(
          action,
          "'df' must be an object of columns ({\"column\": [values...], ...}), not %s",
          kind(df));
    }
    for (Map.Entry<String, Needed> column : needed.entrySet()) {
      if (column.getValue().required() && !df.has(column.getKey())) {
        List<String> sent = new ArrayList<>();
        df.properties().forEach(e -> sent.add(e.getKey()));
        throw invalid(
            action,
            "column '%s' is missing (needed by %s)%s; 'df' has %s",
            column.getKey(),
            column.getValue().neededBy(),
            Names.didYouMean(column.getKey(), sent),
            sent);
      }
    }
    int rows = -1;
    String first = null;
    List<String> ignored = new ArrayList<>();
    for (Map.Entry<String, JsonNode> column : df.properties()) {
      JsonNode values = column.getValue();
      if (!values.isArray()) {
        throw invalid(
            action,
            "column '%s' must be a list of values, one per row, not %s%s",
            column.getKey(),
            kind(values),
            values.isObject() ? " (from pandas: df.to_dict(orient=\"list\"))" : "");
      }
      if (!needed.containsKey(column.getKey())) {
        ignored.add(column.getKey());
      }
      if (rows < 0) {
        rows = values.size();
        first = column.getKey();
      } else if (values.size() != rows) {
        throw invalid(
            action,
            "columns have unequal lengths: '%s' has %d values but '%s' has %d",
            first,
            rows,
            column.getKey(),
            values.size());
      }
    }
    rows = Math.max(rows, 0);
    if (rows > maxRows) {
      throw new FeatureStoreException(
          ErrorCode.LIMIT_EXCEEDED,
          String.format(
              "%s: %d rows is more than the limit of %d per request"
                  + " (featurestore.push.max-rows); split the push",
              action, rows, maxRows));
    }
    if (rows == 0) {
      throw invalid(action, "'df' has no rows");
    }
    Map<String, List<Object>> converted = new LinkedHashMap<>();
    for (Map.Entry<String, Needed> column : needed.entrySet()) {
      JsonNode values = df.get(column.getKey());
      if (values == null) {
        continue;
      }
      List<Object> list = new ArrayList<>(rows);
      for (int row = 0; row < rows; row++) {
        list.add(value(action, column.getKey(), column.getValue(), values.get(row), row));
      }
      converted.put(column.getKey(), list);
    }
    return new PushFrame(rows, converted, ignored);
  }

  private static Object value(String action, String column, Needed needed, JsonNode node, int row) {
    if (node == null || node.isNull()) {
      if (!needed.nullable()) {
        throw invalid(
            action,
            "column '%s' is null at row %d; every row needs a %s value (needed by %s)",
            column,
            row,
            needed.type(),
            needed.neededBy());
      }
      return null;
    }
    ValueType type = needed.type();
    Optional<ValueType> element = type.elementType();
    if (element.isPresent()) {
      if (!node.isArray()) {
        throw wrongType(action, column, type, node, row);
      }
      List<Object> items = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        items.add(item.isNull() ? null : scalar(action, column, element.get(), item, row));
      }
      return items;
    }
    return scalar(action, column, type, node, row);
  }

  private static Object scalar(
      String action, String column, ValueType type, JsonNode node, int row) {
    switch (type) {
      case INT32, INT64 -> {
        if (node.isIntegralNumber()) {
          long min = type == ValueType.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
          long max = type == ValueType.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
          if (node.canConvertToLong() && node.longValue() >= min && node.longValue() <= max) {
            return node.longValue();
          }
          throw invalid(
              action,
              "column '%s' is %s, but row %d has %s, which is out of range",
              column,
              type,
              row,
              node);
        }
      }
      case FLOAT32, FLOAT64 -> {
        if (node.isNumber()) {
          return node.doubleValue();
        }
        if (node.isString()) {
          switch (node.stringValue()) {
            case "NaN" -> {
              return Double.NaN;
            }
            case "Infinity" -> {
              return Double.POSITIVE_INFINITY;
            }
            case "-Infinity" -> {
              return Double.NEGATIVE_INFINITY;
            }
            default -> {
              // reported below
            }
          }
        }
      }
      case STRING -> {
        if (node.isString()) {
          return node.stringValue();
        }
      }
      case BOOL -> {
        if (node.isBoolean()) {
          return node.booleanValue();
        }
      }
      case BYTES -> {
        if (node.isString()) {
          try {
            return Base64.getDecoder().decode(node.stringValue());
          } catch (IllegalArgumentException e) {
            throw invalid(
                action,
                "column '%s' is bytes, but row %d is not base64: %s",
                column,
                row,
                e.getMessage());
          }
        }
      }
      case TIMESTAMP -> {
        Instant instant = timestamp(action, column, node, row);
        if (instant != null) {
          if (instant.isBefore(MIN_TIME) || instant.isAfter(MAX_TIME)) {
            throw invalid(
                action,
                "column '%s' is a timestamp, but row %d has %s, which is out of range (%s to %s:"
                    + " epoch microseconds, as stored)",
                column,
                row,
                node,
                MIN_TIME,
                MAX_TIME);
          }
          return instant;
        }
      }
      default ->
          throw FeatureStoreException.of(
              ErrorCode.INTERNAL_ERROR, "Cannot push column '%s' of type %s", column, type);
    }
    throw wrongType(action, column, type, node, row);
  }

  /** A timestamp value, or null if {@code node} is no string or number. */
  private static Instant timestamp(String action, String column, JsonNode node, int row) {
    if (node.isString()) {
      return Timestamps.parse(node.stringValue())
          .orElseThrow(
              () ->
                  invalid(
                      action,
                      "column '%s' is a timestamp, but row %d has \"%s\"; use %s, or epoch"
                          + " seconds",
                      column,
                      row,
                      node.stringValue(),
                      Timestamps.HINT));
    }
    if (node.isNumber()) {
      return epochSeconds(action, column, node, row);
    }
    return null;
  }

  private static Instant epochSeconds(String action, String column, JsonNode node, int row) {
    // NaN, Infinity and numbers beyond a double (1e400) are JSON numbers here, but no time.
    if (!node.isFloatingPointNumber() || Double.isFinite(node.doubleValue())) {
      try {
        BigDecimal seconds = node.decimalValue();
        BigDecimal whole = new BigDecimal(seconds.toBigInteger());
        long nanos = seconds.subtract(whole).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole.longValueExact(), nanos);
      } catch (ArithmeticException | DateTimeException e) {
        // reported below
      }
    }
    throw invalid(
        action,
        "column '%s' is a timestamp, but row %d has %s, which is out of range as epoch seconds",
        column,
        row,
        node);
  }

  private static FeatureStoreException wrongType(
      String action, String column, ValueType type, JsonNode node, int row) {
    return invalid(
        action,
        "column '%s' is %s, but row %d has %s (%s)",
        column,
        type,
        row,
        node.isString() ? "\"" + node.stringValue() + "\"" : node.toString(),
        kind(node));
  }

  private static String kind(JsonNode node) {
    if (node.isString()) {
      return "a string";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isIntegralNumber()) {
      return "a number";
    }
    if (node.isNumber()) {
      return "a number with a fraction";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull()) {
      return "null";
    }
    return "an object";
  }

  static FeatureStoreException invalid(String action, String format, Object... args) {
    return new FeatureStoreException(
        ErrorCode.INVALID_ARGUMENT, action + ": " + String.format(format, args));
  }
}
