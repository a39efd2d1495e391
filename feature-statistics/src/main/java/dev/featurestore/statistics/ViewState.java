/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/** The partial statistics of every column of a view over some rows: what a partition sends. */
final class ViewState implements Serializable {
  private static final long serialVersionUID = 1L;

  long rows;
  final ColumnState[] columns;

  ViewState(List<StatisticsColumn> specs) {
    columns = new ColumnState[specs.size()];
    for (int i = 0; i < columns.length; i++) {
      StatisticsColumn spec = specs.get(i);
      columns[i] = new ColumnState(spec.type(), spec.allowed().orElse(null));
    }
  }

  /** Adds one row holding the columns in order (as {@link SparkStatistics} selects them). */
  ViewState add(InternalRow row) {
    rows++;
    for (int i = 0; i < columns.length; i++) {
      columns[i].add(row, i);
    }
    return this;
  }

  /**
   * Adds one row in the exact Spark types of the columns' value types, column {@code i} at ordinal
   * {@code ordinals[i]} (timestamps are internally epoch microseconds already; arrays are arrays).
   */
  ViewState addAt(InternalRow row, int[] ordinals) {
    rows++;
    for (int i = 0; i < columns.length; i++) {
      columns[i].add(row, ordinals[i], true);
    }
    return this;
  }

  ViewState merge(ViewState other) {
    rows += other.rows;
    for (int i = 0; i < columns.length; i++) {
      columns[i].merge(other.columns[i]);
    }
    return this;
  }
}
