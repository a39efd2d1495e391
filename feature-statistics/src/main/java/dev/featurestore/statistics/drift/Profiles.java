/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.statistics.drift;

import dev.featurestore.registry.ErrorCode;
import dev.featurestore.registry.FeatureStoreException;
import dev.featurestore.spark.SourceReader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The profiles of the columns of one pass, column {@code i} of the rows profiled by profile {@code
 * i}: numbers are read as doubles, categories as strings (the caller projects them so).
 */
final class Profiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<ColumnProfile> columns;
  private long rows;

  Profiles(List<ColumnProfile> columns) {
    this.columns = new ArrayList<>(columns.size());
    columns.forEach(c -> this.columns.add(c.empty()));
  }

  /**
   * Profiles a dataset in one Spark pass: each partition folds its rows into a copy of these
   * (empty) profiles, and the partial profiles are merged in a tree; only they reach the driver.
   *
   * @param action what the caller does, for the message of an unreadable file
   */
  Profiles of(Dataset<Row> rows, String action) {
    Profiles zero = new Profiles(columns);
    try {
      return rows.javaRDD().treeAggregate(zero, Profiles::add, Profiles::merge);
    } catch (Exception e) { // SparkException is checked, but Scala throws it undeclared.
      Optional<FeatureStoreException> unreadable = SourceReader.unreadableFile(action, e);
      if (unreadable.isPresent()) {
        throw unreadable.get();
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new FeatureStoreException(
          ErrorCode.INTERNAL_ERROR, "Cannot " + action + ": " + SourceReader.firstLine(e), e);
    }
  }

  /**
   * Profiles rows on the driver (a small sample): the same rules as {@link #of(Dataset, String)}.
   */
  Profiles of(List<Row> rows) {
    Profiles profiles = new Profiles(columns);
    rows.forEach(profiles::add);
    return profiles;
  }

  private Profiles add(Row row) {
    rows++;
    for (int i = 0; i < columns.size(); i++) {
      ColumnProfile column = columns.get(i);
      if (row.isNullAt(i)) {
        column.addNull();
      } else if (column.comparison() == Comparison.NUMBER) {
        column.addNumber(((Number) row.get(i)).doubleValue());
      } else {
        column.addCategory(row.get(i).toString());
      }
    }
    return this;
  }

  private Profiles merge(Profiles other) {
    rows += other.rows;
    for (int i = 0; i < columns.size(); i++) {
      columns.get(i).merge(other.columns.get(i));
    }
    return this;
  }

  /** The rows profiled. */
  long rows() {
    return rows;
  }

  ColumnProfile column(int index) {
    return columns.get(index);
  }
}
