/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.registry.definition;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The functions of a windowed aggregation ({@code aggregations:} in a feature view), named as they
 * are written in definition files. The one rule of which input types each accepts and which output
 * type it gives (docs/aggregations.md).
 */
public enum AggregationFunction {
  /**
   * Rows in the window, or the column's non-null values when a column is given: int64, never null.
   */
  COUNT("count"),
  /** Sum of the non-null values: int64 for integer columns, float64 otherwise. */
  SUM("sum"),
  /** Mean of the non-null values: float64. */
  AVG("avg"),
  /** Smallest non-null value: the column's type. */
  MIN("min"),
  /** Largest non-null value: the column's type. */
  MAX("max"),
  /** Sample standard deviation (n - 1) of the non-null values: float64, null below 2 values. */
  STDDEV("stddev"),
  /** The latest non-null value (event timestamp, then created timestamp, then greatest value). */
  LAST("last"),
  /** The {@code n} latest non-null values, newest first: {@code array<T>}. */
  LAST_N("last_n"),
  /** Approximate number of distinct non-null values (an HLL sketch): int64, never null. */
  APPROX_COUNT_DISTINCT("approx_count_distinct");

  /** The largest {@code n} of {@code last_n}. */
  public static final int MAX_N = 100;

  private final String functionName;

  AggregationFunction(String functionName) {
    this.functionName = functionName;
  }

  /** Returns the name used in definition files, e.g. {@code approx_count_distinct}. */
  public String functionName() {
    return functionName;
  }

  /** Whether the function may go without a column ({@code count} of rows). */
  public boolean allowsNoColumn() {
    return this == COUNT;
  }

  /** Whether the function's value is never null (0 for an empty window). */
  public boolean isCount() {
    return this == COUNT || this == APPROX_COUNT_DISTINCT;
  }

  /** Returns true when the function can aggregate a column of this type. */
  public boolean accepts(ValueType columnType) {
    return switch (this) {
      case COUNT -> true;
      case APPROX_COUNT_DISTINCT -> !columnType.isArray() && columnType != ValueType.BYTES;
      case SUM, AVG, STDDEV -> isNumber(columnType);
      case MIN, MAX ->
          isNumber(columnType)
              || columnType == ValueType.STRING
              || columnType == ValueType.TIMESTAMP;
      case LAST -> !columnType.isArray();
      case LAST_N -> arrayOf(columnType).isPresent();
    };
  }

  /** The column types this function accepts ({@link #accepts}), in {@link ValueType} order. */
  public List<ValueType> acceptedTypes() {
    return Arrays.stream(ValueType.values()).filter(this::accepts).toList();
  }

  /**
   * The one wording of a column type this function does not accept, whether the type was declared
   * or read from the source: {@code function sum of aggregation 'x' of feature view 'v' does not
   * accept type string}; {@link #acceptedHint} says what would be right.
   *
   * @param aggregation the aggregation, e.g. {@code aggregation 'x' of feature view 'v'}
   */
  public String rejects(String aggregation, ValueType columnType) {
    return "function " + this + " of " + aggregation + " does not accept type " + columnType;
  }

  /** The hint beside {@link #rejects}: {@code sum accepts int32, int64, float32, float64}. */
  public String acceptedHint() {
    return this + " accepts " + typeNames(acceptedTypes());
  }

  /** Type names joined for a message: {@code int32, int64, float64}. */
  public static String typeNames(List<ValueType> types) {
    return String.join(", ", types.stream().map(ValueType::typeName).toList());
  }

  /**
   * The output type for a column of this type ({@link #accepts} must hold); {@code columnType} is
   * empty only for a row {@code count}.
   */
  public ValueType outputType(Optional<ValueType> columnType) {
    return switch (this) {
      case COUNT, APPROX_COUNT_DISTINCT -> ValueType.INT64;
      case SUM ->
          columnType.filter(t -> t == ValueType.INT32 || t == ValueType.INT64).isPresent()
              ? ValueType.INT64
              : ValueType.FLOAT64;
      case AVG, STDDEV -> ValueType.FLOAT64;
      case MIN, MAX, LAST -> columnType.orElseThrow();
      case LAST_N -> arrayOf(columnType.orElseThrow()).orElseThrow();
    };
  }

  private static boolean isNumber(ValueType type) {
    return type == ValueType.INT32
        || type == ValueType.INT64
        || type == ValueType.FLOAT32
        || type == ValueType.FLOAT64;
  }

  private static Optional<ValueType> arrayOf(ValueType element) {
    return Arrays.stream(ValueType.values())
        .filter(t -> t.elementType().filter(element::equals).isPresent())
        .findFirst();
  }

  /** Parses a function name as written in a definition file (exact, lower case). */
  public static Optional<AggregationFunction> fromName(String name) {
    return Arrays.stream(values()).filter(f -> f.functionName.equals(name)).findFirst();
  }

  /** Returns every function name, for error hints. */
  public static List<String> names() {
    return Arrays.stream(values()).map(AggregationFunction::functionName).toList();
  }

  @Override
  public String toString() {
    return functionName;
  }
}
