/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows and columns to hand to {@link SparkStatistics#compute}.
 *
 * @param rows the rows (not read yet)
 * @param columns the columns of {@code rows} to compute the statistics of
 */
public record StatisticsInput(Dataset<Row> rows, List<StatisticsColumn> columns) {
  public StatisticsInput {
    requireNonNull(rows, "rows is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
  }
}
