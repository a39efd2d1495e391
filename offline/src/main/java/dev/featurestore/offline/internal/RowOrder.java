/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.offline.internal;

import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import scala.Function1;

/**
 * The join's order of two source rows of one view and key, on Spark's internal rows: event
 * timestamp, then {@link TieBreak} (created timestamp, then the feature values). Values are
 * converted only for rows with equal event timestamps.
 */
final class RowOrder {
  private final int tsOrdinal;
  private final int createdOrdinal;
  private final int[] valueOrdinals;
  private final DataType[] valueTypes;
  private final Function1<Object, Object>[] converters;

  /**
   * @param tsOrdinal the event timestamp (epoch micros, never null)
   * @param createdOrdinal the created timestamp (epoch micros or null)
   * @param valueOrdinals the feature values, in the view's declaration order
   * @param valueTypes their Spark types
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // Scala converters come as raw Function1
  RowOrder(int tsOrdinal, int createdOrdinal, int[] valueOrdinals, DataType[] valueTypes) {
    this.tsOrdinal = tsOrdinal;
    this.createdOrdinal = createdOrdinal;
    this.valueOrdinals = valueOrdinals.clone();
    this.valueTypes = valueTypes.clone();
    this.converters = new Function1[valueTypes.length];
    for (int i = 0; i < valueTypes.length; i++) {
      converters[i] = CatalystTypeConverters.createToScalaConverter(valueTypes[i]);
    }
  }

  /** Positive when {@code a} wins over {@code b}. */
  int compare(InternalRow a, InternalRow b) {
    int byTime = Long.compare(a.getLong(tsOrdinal), b.getLong(tsOrdinal));
    if (byTime != 0) {
      return byTime;
    }
    return TieBreak.compare(created(a), values(a), created(b), values(b));
  }

  private Long created(InternalRow row) {
    return row.isNullAt(createdOrdinal) ? null : row.getLong(createdOrdinal);
  }

  private Object[] values(InternalRow row) {
    Object[] values = new Object[valueOrdinals.length];
    for (int i = 0; i < values.length; i++) {
      int ordinal = valueOrdinals[i];
      values[i] =
          row.isNullAt(ordinal) ? null : converters[i].apply(row.get(ordinal, valueTypes[i]));
    }
    return values;
  }
}
