/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array_size;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.registry.definition.ValueType;
import dev.featurestore.registry.quality.FeatureStatistics;
import dev.featurestore.registry.quality.ViewStatistics;
import dev.featurestore.spark.SourceReader;
import dev.featurestore.spark.SourceRows;
import dev.featurestore.spark.SparkTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Computes the statistics of feature columns in one Spark pass (docs/data-quality.md,
 * "Statistics"). Each partition folds its rows into one small state per column (exact counters,
 * Welford moments, and DataSketches sketches: KLL for quantiles and the histogram, HLL for the
 * distinct count, frequent items for top values); the states are merged in a tree ({@code
 * treeAggregate}) and only they reach the driver, never rows. The rows are Spark's internal rows of
 * the projection (no conversion to {@code Row}, no boxing: typed getters on the binary row).
 *
 * <p>What each type gets: numbers ({@code int32}, {@code int64}, {@code float32}, {@code float64})
 * and timestamps (as epoch seconds, with microseconds as the fraction): min/max/mean/stddev,
 * quantiles, a 20-bin histogram, the distinct count. Strings: the distinct count and top 10 values;
 * bools: exact true/false counts as top values; bytes: the distinct count; arrays: the statistics
 * of their lengths. NaN and infinite floats count as nulls.
 */
public final class SparkStatistics {
  private static final int TREE_DEPTH = 2;

  private SparkStatistics() {}

  /**
   * Computes the statistics of the given columns of {@code rows}.
   *
   * @param rows the rows (e.g. a view's source rows in a window, or what a materialization writes)
   * @param columns the columns, reported in this order
   * @param view the view name the statistics are reported under
   * @param start the window's start, as reported (rows are not filtered here)
   * @param end the window's end, as reported
   * @throws FeatureStoreException INVALID_ARGUMENT when a column is missing or cannot be read as
   *     its declared type; INVALID_DATA when a source file cannot be read during the pass
   */
  public static ViewStatistics compute(
      Dataset<Row> rows,
      List<StatisticsColumn> columns,
      String view,
      Optional<Instant> start,
      Instant end) {
    requireNonNull(rows, "rows is null");
    List<StatisticsColumn> specs = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(view, "view is null");
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    Column[] selected = new Column[specs.size()];
    for (int i = 0; i < selected.length; i++) {
      selected[i] = select(rows.schema(), specs.get(i), view).as("c" + i);
    }
    ViewState zero = new ViewState(specs);
    ViewState state;
    try {
      state =
          rows.select(selected)
              .queryExecution()
              .toRdd()
              .toJavaRDD()
              .treeAggregate(zero, ViewState::add, ViewState::merge, TREE_DEPTH);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw failure(view, e);
    }
    List<FeatureStatistics> features = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      features.add(Summaries.of(specs.get(i).feature(), state.rows, state.columns[i]));
    }
    return new ViewStatistics(view, start, end, state.rows, features);
  }

  /**
   * Computes the statistics of rows that are already Spark internal rows in the exact Spark types
   * of the columns' value types (e.g. what a materialization writes, chosen on the executors): the
   * same pass as {@link #compute(Dataset, List, String, Optional, Instant)} without a projection or
   * a conversion to {@code Row} and back.
   *
   * @param rows the rows, laid out as {@code schema}
   * @param schema their schema; each column's type must be {@code SparkTypes.of} its value type
   * @throws FeatureStoreException INVALID_ARGUMENT when a column is missing or of another type
   */
  public static ViewStatistics compute(
      JavaRDD<InternalRow> rows,
      StructType schema,
      List<StatisticsColumn> columns,
      String view,
      Optional<Instant> start,
      Instant end) {
    requireNonNull(rows, "rows is null");
    List<StatisticsColumn> specs = List.copyOf(requireNonNull(columns, "columns is null"));
    int[] ordinals = new int[specs.size()];
    for (int i = 0; i < ordinals.length; i++) {
      StatisticsColumn spec = specs.get(i);
      select(schema, spec, view); // names a missing column
      DataType actual = schema.apply(spec.column()).dataType();
      if (!SparkTypes.matches(actual, spec.type())) {
        throw FeatureStoreException.of(
            ErrorCode.INVALID_ARGUMENT,
            "Cannot compute statistics of feature '%s' of view '%s': column '%s' is %s, not %s",
            spec.feature(),
            view,
            spec.column(),
            actual.simpleString(),
            spec.type().typeName());
      }
      ordinals[i] = schema.fieldIndex(spec.column());
    }
    ViewState state;
    try {
      state =
          rows.treeAggregate(
              new ViewState(specs),
              (partial, row) -> partial.addAt(row, ordinals),
              ViewState::merge,
              TREE_DEPTH);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      throw failure(view, e);
    }
    List<FeatureStatistics> features = new ArrayList<>(specs.size());
    for (int i = 0; i < specs.size(); i++) {
      features.add(Summaries.of(specs.get(i).feature(), state.rows, state.columns[i]));
    }
    return new ViewStatistics(view, start, end, state.rows, features);
  }

  /**
   * A failed pass: a source file unreadable while it ran (INVALID_DATA, naming the file), a typed
   * error from inside the job as it is, anything else INTERNAL_ERROR.
   */
  private static FeatureStoreException failure(String view, Exception e) {
    String action = "compute statistics of feature view '" + view + "'";
    Optional<FeatureStoreException> unreadable = SourceReader.unreadableFile(action, e);
    if (unreadable.isPresent()) {
      return unreadable.get();
    }
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof FeatureStoreException typed) {
        return typed;
      }
    }
    return FeatureStoreException.of(
        ErrorCode.INTERNAL_ERROR, e, "Cannot %s: %s", action, SourceReader.firstLine(e));
  }

  /** The column as {@link ColumnState} reads it (see its class comment). */
  private static Column select(StructType schema, StatisticsColumn spec, String view) {
    if (!Arrays.asList(schema.fieldNames()).contains(spec.column())) {
      throw FeatureStoreException.of(
          ErrorCode.INVALID_ARGUMENT,
          "Cannot compute statistics of feature '%s' of view '%s': the rows have no column '%s'"
              + " (columns: %s)",
          spec.feature(),
          view,
          spec.column(),
          String.join(", ", schema.fieldNames()));
    }
    DataType actual = schema.apply(spec.column()).dataType();
    Column column = col(SourceRows.quote(spec.column()));
    ValueType type = spec.type();
    if (!SparkTypes.matches(actual, type)) {
      column = column.cast(SparkTypes.of(type));
    }
    if (type == ValueType.TIMESTAMP) {
      column = unix_micros(column);
    } else if (type.isArray()) {
      column = array_size(column);
    }
    return column.cast(selectedType(type));
  }

  private static DataType selectedType(ValueType type) {
    if (type == ValueType.TIMESTAMP) {
      return DataTypes.LongType;
    }
    return type.isArray() ? DataTypes.IntegerType : SparkTypes.of(type);
  }
}
