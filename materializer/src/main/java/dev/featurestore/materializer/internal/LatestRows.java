/*
 * Licensed under the Apache License, Version 2.0. See the LICENSE file in the project root.
 */
package dev.featurestore.materializer.internal;

import dev.featurestore.onlinestore.writer.ViewWriter;
import dev.featurestore.registry.definition.FeatureView;
import dev.featurestore.registry.definition.JoinKey;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * Runs on the executors: the rows {@link PartitionWriter} would write from one partition (one per
 * entity key, chosen by the same {@link LatestPerKey}), as {@link Row}s of the projected schema, so
 * that the statistics of a materialization are those of exactly what it writes.
 */
public final class LatestRows implements FlatMapFunction<Iterator<InternalRow>, Row> {
  private static final long serialVersionUID = 1L;

  private final String project;
  private final FeatureView view;
  private final List<JoinKey> joinKeys;
  private final StructType schema;

  /**
   * @param project the project, for the key and value codec
   * @param view the view
   * @param joinKeys the view's join keys, in key order
   * @param schema the schema of the rows ({@code ViewRows}' projection)
   */
  public LatestRows(String project, FeatureView view, List<JoinKey> joinKeys, StructType schema) {
    this.project = project;
    this.view = view;
    this.joinKeys = List.copyOf(joinKeys);
    this.schema = schema;
  }

  @Override
  public Iterator<Row> call(Iterator<InternalRow> rows) {
    // Grace and "now" only matter for writing; encoding (the tie rule) does not use them.
    ViewWriter viewWriter = new ViewWriter(project, view, joinKeys, Duration.ZERO, 0);
    LatestPerKey latest = new LatestPerKey(rows, viewWriter, view, joinKeys, true);
    Function1<Object, Object> toRow = CatalystTypeConverters.createToScalaConverter(schema);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return latest.hasNext();
      }

      @Override
      public Row next() {
        return (Row) toRow.apply(latest.next().row);
      }
    };
  }
}
